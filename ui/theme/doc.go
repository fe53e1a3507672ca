// Package theme builds Candor's colours and styles for a light or a dark
// terminal. Normal text keeps the terminal's own foreground, so it has the
// user's contrast in both; colours mark only what needs attention.
package theme
