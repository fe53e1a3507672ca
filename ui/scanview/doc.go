// Package scanview shows scanhook, the scanning SIMULATION, through
// session's types (the UI never imports scanhook): the banner that stays
// on screen while scanning is on, the badge of each sent message, the
// scanner tab of the inspector, the base-rate calculator, and the text of
// /scan and /consent.
package scanview
