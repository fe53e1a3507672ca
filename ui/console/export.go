package console

import "github.com/candor-xmpp/candor/ui/theme"

// Pretty indents and colours one stanza as the console shows it, for other
// views of the wire (the inspector).
func Pretty(raw string, t *theme.Theme) []string { return pretty(raw, t) }
