package common

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestSanitize(t *testing.T) {
	cases := map[string]string{
		"plain":                    "plain",
		"two\nlines":               "two\nlines",
		"tab\there":                "tab    here",
		"esc\x1b[31mred":           "esc[31mred",
		"bell\a and osc\x1b]0;x\a": "bell and osc]0;x",
		"crlf\r\n":                 "crlf\n",
		"rtl\u202etxt.exe":         "rtltxt.exe",
		"c1\u009bsmuggled":         "c1smuggled",
	}
	for in, want := range cases {
		if got := Sanitize(in); got != want {
			t.Errorf("Sanitize(%q) = %q, want %q", in, got, want)
		}
	}
	if got := OneLine("a\nb  c\n"); got != "a b c" {
		t.Errorf("OneLine = %q", got)
	}
}

func TestFitAndWrap(t *testing.T) {
	for _, s := range []string{"", "short", "exactly10!", "much longer than ten", "漢字漢字漢字", "\x1b[1mbold text here\x1b[0m"} {
		for _, w := range []int{1, 5, 10, 11} {
			if got := ansi.StringWidth(Fit(s, w)); got != w {
				t.Errorf("Fit(%q, %d) is %d wide", s, w, got)
			}
		}
	}
	lines := Wrap("the quick brown fox jumps over a supercalifragilisticexpialidocious dog", 10)
	for _, l := range lines {
		if ansi.StringWidth(l) > 10 {
			t.Errorf("wrapped line %q too wide", l)
		}
	}
	if joined := strings.Join(lines, ""); !strings.Contains(strings.ReplaceAll(joined, " ", ""), "supercalifragilisticexpialidocious") {
		t.Errorf("a long word was lost: %v", lines)
	}
	if got := PadLines([]string{"a"}, 3, 2); len(got) != 2 || got[0] != "a  " || got[1] != "   " {
		t.Errorf("PadLines = %q", got)
	}
}
