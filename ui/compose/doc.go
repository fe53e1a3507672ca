// Package compose is the input line: it edits text (several lines when
// asked), sends on enter and never on a paste, keeps a draft per chat,
// completes commands on tab, recalls sent lines, and tells the root when to
// send chat states (composing once per burst of typing, paused after a
// pause). It returns intents; it never calls the backend.
package compose
