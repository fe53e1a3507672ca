package scanhook

import (
	"context"
	"sync"
)

// FlagCounter counts how often the same new item has been flagged, for the
// Belgian rule that new material is reported only once "flagged in a
// service twice" (Agence Europe bulletin 13421).
type FlagCounter interface {
	// Flag records one more flag for key and returns the count so far.
	Flag(ctx context.Context, key string) (int, error)
}

// MemoryFlags is a FlagCounter in memory (per process).
type MemoryFlags struct {
	mu     sync.Mutex
	counts map[string]int
}

// NewMemoryFlags returns an empty counter.
func NewMemoryFlags() *MemoryFlags { return &MemoryFlags{counts: map[string]int{}} }

// Flag implements FlagCounter.
func (f *MemoryFlags) Flag(_ context.Context, key string) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.counts[key]++
	return f.counts[key], nil
}
