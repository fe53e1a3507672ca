package session

import (
	"fmt"
	"strings"
	"time"
)

// HumanSize formats a byte count for people, in binary units.
func HumanSize(n int64) string {
	switch {
	case n < 0:
		return "unknown size"
	case n < 1024:
		return fmt.Sprintf("%d B", n)
	case n < 1<<20:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	case n < 1<<30:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%.2f GiB", float64(n)/(1<<30))
}

// Progress is "62%  1.2 MiB/2.0 MiB  3.1 MiB/s  1s left", the part of a
// progress line that the TUI and the command line share.
func (t Transfer) Progress() string {
	var parts []string
	if t.Total > 0 {
		parts = append(parts, fmt.Sprintf("%3d%%", t.Done*100/t.Total), HumanSize(t.Done)+"/"+HumanSize(t.Total))
	} else {
		parts = append(parts, HumanSize(t.Done))
	}
	if t.Rate > 0 {
		parts = append(parts, HumanSize(int64(t.Rate))+"/s")
		if t.Total > 0 && t.Done < t.Total {
			left := time.Duration(float64(t.Total-t.Done) / t.Rate * float64(time.Second))
			parts = append(parts, left.Round(time.Second).String()+" left")
		}
	}
	return strings.Join(parts, "  ")
}
