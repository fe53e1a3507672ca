// Package console is the XML console: every stanza as it crossed the wire,
// with its direction and time, indented and coloured, in a ring buffer of
// bounded size. It is the first of the "what the server sees" views.
package console
