package transfer

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/candor-xmpp/candor/session"
	"github.com/candor-xmpp/candor/ui/common"
)

func newBar() (*Model, *[]tea.Msg) {
	com := common.New(true)
	var timers []tea.Msg
	com.After = func(d time.Duration, msg tea.Msg) tea.Cmd {
		timers = append(timers, msg)
		return nil
	}
	return New(com), &timers
}

func TestBarLines(t *testing.T) {
	m, timers := newBar()
	m.Set(session.Transfer{ID: 1, Upload: true, Name: "a.png", Total: 4 << 20, Done: 1 << 20, Rate: 1 << 20, State: session.TransferRunning})
	m.Set(session.Transfer{ID: 2, MessageID: 7, Name: "b.jpg", Total: -1, Done: 5000, State: session.TransferRunning})
	m.Set(session.Transfer{ID: 3, Upload: true, Name: "c.pdf", State: session.TransferFailed, Err: "the upload server answered 500"})
	m.Set(session.Transfer{ID: 4, Upload: true, Name: "d.txt", State: session.TransferPreparing})
	if m.Height() != MaxLines {
		t.Fatalf("height %d", m.Height())
	}
	lines := strings.Split(ansi.Strip(m.View(90)), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines", len(lines))
	}
	for _, l := range lines {
		if ansi.StringWidth(l) != 90 {
			t.Fatalf("line %q is not 90 cells", l)
		}
	}
	// Under way first, newest first; the failure does not fit.
	if !strings.HasPrefix(lines[0], "↑ d.txt  asking for an upload slot…") || !strings.HasPrefix(lines[1], "↓ b.jpg  4.9 KiB") ||
		!strings.Contains(lines[2], "25%  1.0 MiB/4.0 MiB  1.0 MiB/s  3s left · esc cancels") || !strings.Contains(lines[2], "▕████") {
		t.Fatalf("lines:\n%s", strings.Join(lines, "\n"))
	}
	if !m.Downloading(7) || m.Downloading(8) {
		t.Fatal("Downloading")
	}
	if tr, ok := m.Newest(); !ok || tr.ID != 4 {
		t.Fatalf("newest %+v", tr)
	}
	// The end of each: lines that stay until their timer.
	m.Set(session.Transfer{ID: 2, MessageID: 7, Name: "b.jpg", State: session.TransferFinished, Path: "/dl/b.jpg"})
	m.Set(session.Transfer{ID: 1, Upload: true, Name: "a.png", State: session.TransferFinished,
		Leak: &session.UploadLeak{FileName: "zz.png", Size: 4<<20 + 16, ContentType: "application/octet-stream"}})
	m.Set(session.Transfer{ID: 4, Upload: true, Name: "d.txt", State: session.TransferCancelled, Err: "cancelled"})
	m.Expire((*timers)[0].(Expired)) // c.pdf's failure leaves first
	text := ansi.Strip(m.View(200))
	for _, want := range []string{"✓ b.jpg saved · /dl/b.jpg", "✓ a.png sent · the upload server saw: name zz.png, 4.0 MiB, application/octet-stream",
		"· d.txt cancelled: nothing was sent"} {
		if !strings.Contains(text, want) {
			t.Errorf("missing %q in:\n%s", want, text)
		}
	}
	if m.Downloading(7) || m.Active() {
		t.Fatal("still under way")
	}
	// Late news of an ended transfer is ignored, even after its line left.
	for _, msg := range *timers {
		m.Expire(msg.(Expired))
	}
	if m.Height() != 0 {
		t.Fatalf("%d lines after the timers", m.Height())
	}
	m.Set(session.Transfer{ID: 1, Upload: true, Name: "a.png", State: session.TransferRunning})
	if m.Height() != 0 {
		t.Fatal("stale progress came back")
	}
}

func TestBar(t *testing.T) {
	if got := Bar(0.5, 12); got != "▕█████░░░░░▏" {
		t.Fatalf("%q", got)
	}
	if got := Bar(2, 6); got != "▕████▏" {
		t.Fatalf("%q", got)
	}
}
