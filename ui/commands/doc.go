// Package commands parses the compose line's slash commands into actions,
// completes them with tab, and describes them for /help. It is pure: it
// knows nothing of the backend; the root model carries the actions out.
package commands
