package session

import "time"

// Backoff is the reconnect schedule: exponential from Base, capped at Max,
// each wait drawn at random from its upper half so that many clients cut off
// together do not return together.
type Backoff struct {
	Base time.Duration // the first wait (default 1s)
	Max  time.Duration // the longest wait (default 5m)
}

// Default reconnect schedule.
const (
	defaultBackoffBase = time.Second
	defaultBackoffMax  = 5 * time.Minute
)

func (b Backoff) withDefaults() Backoff {
	if b.Base <= 0 {
		b.Base = defaultBackoffBase
	}
	if b.Max <= 0 {
		b.Max = defaultBackoffMax
	}
	if b.Max < b.Base {
		b.Max = b.Base
	}
	return b
}

// Delay is the wait before retry number attempt (1 for the first retry),
// given r in [0, 1): between half and all of min(Max, Base·2^(attempt-1)).
func (b Backoff) Delay(attempt int, r float64) time.Duration {
	b = b.withDefaults()
	if attempt < 1 {
		attempt = 1
	}
	ceiling := b.Base
	for i := 1; i < attempt && ceiling < b.Max; i++ {
		ceiling *= 2
	}
	if ceiling > b.Max {
		ceiling = b.Max
	}
	if r < 0 || r >= 1 {
		r = 0
	}
	half := ceiling / 2
	return half + time.Duration(float64(ceiling-half)*r)
}
