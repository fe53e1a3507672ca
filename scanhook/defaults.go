package scanhook

import "github.com/candor-xmpp/candor/scanhook/pdq"

// Reference thresholds. PDQ's come from ThreatExchange (scanning.md section
// 2.1 point 9): a Hamming distance ≤ 31 is a match, and hashes of quality
// under 50 are discarded.
const (
	defaultPDQThreshold = pdq.DefaultThreshold
	defaultQualityMin   = pdq.QualityGate
	// defaultTextThreshold is the toy classifier's flagging score: one demo
	// trigger word of weight 1 is enough.
	defaultTextThreshold = 1.0
)
