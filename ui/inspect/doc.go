// Package inspect shows one message three ways: what you see, what a
// scanner saw (scanhook's panel, when scanning is on) and what the server
// sees: the stanza as it crossed the wire, with its addresses, times,
// sizes, OMEMO header and the devices it was encrypted for. Each view is a
// Panel; the Dialog lays panels out side by side when the screen is wide
// enough and as tabs when it is not.
package inspect
