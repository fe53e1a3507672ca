// Package conversation shows one chat's messages. It keeps only a window of
// them in memory: older pages are asked for (as LoadRequested intents) when
// the user scrolls near the top, and the far end of the window is dropped
// and remembered as "chunks" to fetch again when the user comes back. View
// renders only the rows on screen, from per-message caches, so a frame costs
// the same with a thousand or a hundred thousand messages in the history.
// Past the first stored message, older ones are asked of the server's
// archive (OlderRequested, older.go) and then load like any older page.
package conversation
