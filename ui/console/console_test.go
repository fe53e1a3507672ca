package console

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/candor-xmpp/candor/session"
	"github.com/candor-xmpp/candor/ui/common"
	"github.com/candor-xmpp/candor/ui/theme"
)

func plain(lines []string) string { return ansi.Strip(strings.Join(lines, "\n")) }

func TestPrettyIndents(t *testing.T) {
	got := plain(pretty(`<iq type='result' id='r1'><query xmlns='jabber:iq:roster'><item jid='a@b' subscription='both'><group>Friends</group></item><item jid='c@d'/></query></iq>`, theme.New(true)))
	want := strings.Join([]string{
		"<iq type='result' id='r1'>",
		"  <query xmlns='jabber:iq:roster'>",
		"    <item jid='a@b' subscription='both'>",
		"      <group>Friends</group>",
		"    </item>",
		"    <item jid='c@d'/>",
		"  </query>",
		"</iq>",
	}, "\n")
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}

func TestPrettyKeepsWhatDoesNotParse(t *testing.T) {
	th := theme.New(false)
	if got := plain(pretty("<a><b></a>", th)); !strings.Contains(got, "<a><b></a>") {
		t.Fatalf("malformed XML changed: %q", got)
	}
	// A stream header never closes; it is still shown.
	got := plain(pretty(`<stream:stream xmlns='jabber:client' to='example.org' version='1.0'>`, th))
	if !strings.Contains(got, "stream:stream") || !strings.Contains(got, "to='example.org'") {
		t.Fatalf("stream header: %q", got)
	}
	// Escape sequences from the wire never reach the terminal.
	if got := strings.Join(pretty("<body>\x1b[2Jboom</body>", th), ""); strings.Contains(got, "\x1b[2J") {
		t.Fatalf("escape passed: %q", got)
	}
	big := "<body>" + strings.Repeat("x", maxShown*2) + "</body>"
	if got := plain(pretty(big, th)); !strings.Contains(got, "more bytes not shown") || len(got) > maxShown+200 {
		t.Fatalf("big stanza not cut: %d bytes", len(got))
	}
}

func TestRingIsBounded(t *testing.T) {
	com := common.New(true)
	m := New(com)
	m.SetSize(60, 10)
	for i := range Capacity + 25 {
		m.Add(session.StanzaLogged{Time: time.Unix(int64(i), 0), XML: "<r n='" + string(rune('a'+i%26)) + "'/>"})
	}
	if m.Len() != Capacity {
		t.Fatalf("holds %d", m.Len())
	}
	v := ansi.Strip(m.View())
	if !strings.Contains(v, "25 older dropped") {
		t.Fatalf("title: %s", strings.SplitN(v, "\n", 2)[0])
	}
	lines := strings.Split(v, "\n")
	if len(lines) != 10 {
		t.Fatalf("%d rows", len(lines))
	}
}

func TestScrollStaysPutWhileStanzasArrive(t *testing.T) {
	com := common.New(true)
	m := New(com)
	m.SetSize(60, 6)
	for i := range 50 {
		m.Add(session.StanzaLogged{Time: time.Unix(int64(i), 0), Outgoing: i%2 == 0, XML: "<presence id='p" + strings.Repeat("0", i%3) + "'/>"})
	}
	m.ScrollUp(30)
	body := func() string { _, b, _ := strings.Cut(ansi.Strip(m.View()), "\n"); return b }
	before := body()
	m.Add(session.StanzaLogged{Time: time.Unix(99, 0), XML: "<message id='late'/>"})
	if after := body(); after != before {
		t.Fatalf("the view moved while scrolled back:\n%s\n---\n%s", before, after)
	}
	m.ScrollDown(1000)
	if !strings.Contains(ansi.Strip(m.View()), "late") {
		t.Fatal("scrolling down did not reach the newest")
	}
}
