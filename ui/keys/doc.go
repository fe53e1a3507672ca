// Package keys defines Candor's key bindings as bubbles key.Bindings, grouped
// for the help overlay. A KeyMap is built per model; nothing here is global.
package keys
