package scanhook

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// ReportsFile is the name of the report sink inside the data directory.
const ReportsFile = "scanhook-reports.jsonl"

// Sink receives simulated reports. It is local by contract: scanhook has no
// sink that sends anything anywhere.
type Sink interface {
	Write(Report) error
}

// FileSink appends reports as JSON lines to a file in a data directory,
// with file mode 0600.
type FileSink struct {
	mu   sync.Mutex
	path string
}

// NewFileSink returns a sink writing to dir/ReportsFile; it creates dir
// (mode 0700) if needed.
func NewFileSink(dir string) (*FileSink, error) {
	if dir == "" {
		return nil, fmt.Errorf("report sink: no data directory given")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("report sink %s: %w", dir, err)
	}
	return &FileSink{path: filepath.Join(dir, ReportsFile)}, nil
}

// Path is the file the reports go to.
func (s *FileSink) Path() string { return s.path }

// Write appends one report as a line.
func (s *FileSink) Write(r Report) error {
	if !r.Simulated {
		return fmt.Errorf("report sink %s: refusing a report not marked simulated", s.path)
	}
	line, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("report sink %s: %w", s.path, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := os.OpenFile(s.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("report sink %s: %w", s.path, err)
	}
	if _, err := f.Write(append(line, '\n')); err != nil {
		f.Close()
		return fmt.Errorf("report sink %s: %w", s.path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("report sink %s: %w", s.path, err)
	}
	return nil
}

// ReadReports reads a report file, skipping nothing: a malformed line is
// an error naming the file and line.
func ReadReports(path string) ([]Report, error) {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reports %s: %w", path, err)
	}
	defer f.Close()
	var out []Report
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	for n := 1; sc.Scan(); n++ {
		if len(sc.Bytes()) == 0 {
			continue
		}
		var r Report
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, fmt.Errorf("reports %s line %d: %v", path, n, err)
		}
		out = append(out, r)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reports %s: %w", path, err)
	}
	return out, nil
}
