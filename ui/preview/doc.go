// Package preview draws images inside the terminal, for the conversation's
// file messages: the kitty graphics protocol (with Unicode placeholders, so
// that the image is ordinary text to the cell-based renderer) where the
// terminal speaks it, and truecolor half-blocks (▀ with a foreground and a
// background colour: two pixels per cell) everywhere else.
//
// Decoding is bounded: the header is read first and images over MaxPixels
// are refused, and previews are small (a few dozen cells). Work happens in
// tea.Cmds, off the UI loop; a bounded Cache keeps the results.
package preview
