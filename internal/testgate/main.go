// Command testgate reads `go test -json` on standard input, prints a short
// report (package results, the output of failed tests, every skipped test)
// and exits non-zero when anything failed or was skipped: in the full suite a
// skipped test is a failure.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
)

type event struct {
	Action  string
	Package string
	Test    string
	Output  string
	Elapsed float64
}

func main() {
	output := map[string][]string{} // "pkg test" -> lines
	var failed, skipped []string
	passed := 0
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		line := sc.Bytes()
		var e event
		if err := json.Unmarshal(line, &e); err != nil {
			// Build errors and the like come as plain text.
			fmt.Println(string(line))
			continue
		}
		key := e.Package + " " + e.Test
		switch e.Action {
		case "build-output":
			fmt.Print(e.Output)
		case "output":
			output[key] = append(output[key], e.Output)
		case "pass":
			if e.Test == "" {
				fmt.Printf("ok    %s (%.1fs)\n", e.Package, e.Elapsed)
			} else {
				passed++
			}
			delete(output, key)
		case "skip":
			if e.Test == "" {
				// A package without tests: say so, but it is not a skipped test.
				fmt.Printf("--    %s (no tests)\n", e.Package)
			} else {
				skipped = append(skipped, key+": "+lastLine(output[key]))
			}
			delete(output, key)
		case "fail":
			if e.Test == "" {
				fmt.Printf("FAIL  %s (%.1fs)\n", e.Package, e.Elapsed)
				if out := output[key]; len(out) > 0 {
					fmt.Print(strings.Join(out, ""))
				}
			} else {
				failed = append(failed, key)
				fmt.Printf("--- FAIL %s\n%s", key, strings.Join(output[key], ""))
			}
			delete(output, key)
		}
	}
	sort.Strings(skipped)
	for _, s := range skipped {
		fmt.Println("SKIP  " + s)
	}
	fmt.Printf("\n%d passed, %d failed, %d skipped\n", passed, len(failed), len(skipped))
	if len(failed) > 0 || len(skipped) > 0 {
		os.Exit(1)
	}
}

func lastLine(lines []string) string {
	for i := len(lines) - 1; i >= 0; i-- {
		l := strings.TrimSpace(lines[i])
		if l != "" && !strings.HasPrefix(l, "---") && !strings.HasPrefix(l, "===") {
			return l
		}
	}
	return ""
}
