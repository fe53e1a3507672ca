// Package ui is the Bubble Tea program: a root model that routes messages and
// small components (contacts, conversation, compose, status bar, dialogs,
// panels) that return intents. It talks to the rest of Candor only through
// session.Backend and the session Event types.
package ui
