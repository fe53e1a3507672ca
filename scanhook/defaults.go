package scanhook

// Reference thresholds. PDQ's come from ThreatExchange (scanning.md section
// 2.1 point 9): a Hamming distance ≤ 31 is a match, and hashes of quality
// ≤ 49 are discarded.
const (
	defaultPDQThreshold = 31
	defaultQualityMin   = 50
	// defaultTextThreshold is the toy classifier's flagging score: one demo
	// trigger word of weight 1 is enough.
	defaultTextThreshold = 1.0
)
