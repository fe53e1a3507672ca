package session

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
)

// split feeds input in chunks of size n (0: all at once) and returns the
// pieces.
func split(input string, n int) []piece {
	var out []piece
	s := newSplitter(func(p piece) { out = append(out, p) })
	if n <= 0 {
		s.Write([]byte(input))
		return out
	}
	for i := 0; i < len(input); i += n {
		end := min(i+n, len(input))
		s.Write([]byte(input[i:end]))
	}
	return out
}

func raws(ps []piece) []string {
	var out []string
	for _, p := range ps {
		out = append(out, string(p.Raw))
	}
	return out
}

func TestSplitterPieces(t *testing.T) {
	cases := []struct {
		name  string
		input string
		want  []string
		names []string
	}{
		{
			name:  "stream start, features, stanzas, end",
			input: `<?xml version='1.0'?><stream:stream xmlns='jabber:client' to='a'>  <stream:features><bind xmlns='x'/></stream:features>` + "\n\t " + `<message to='b'><body>hi</body></message><r/></stream:stream>`,
			want:  []string{`<?xml version='1.0'?>`, `<stream:stream xmlns='jabber:client' to='a'>`, `<stream:features><bind xmlns='x'/></stream:features>`, `<message to='b'><body>hi</body></message>`, `<r/>`, `</stream:stream>`},
			names: []string{"?xml", "stream:stream", "stream:features", "message", "r", "stream:stream"},
		},
		{
			name:  "markup characters inside attribute values and text",
			input: `<stream:stream><message id="a>b" to='c/>d'><body>1 &lt; 2 &gt; 0 /&gt;</body></message><iq id='/'/>`,
			want:  []string{`<stream:stream>`, `<message id="a>b" to='c/>d'><body>1 &lt; 2 &gt; 0 /&gt;</body></message>`, `<iq id='/'/>`},
		},
		{
			name:  "comments, CDATA and processing instructions inside an element",
			input: `<stream:stream><message><!-- </message> --><body><![CDATA[</body></message>]]]></body><?pi </message>?></message>`,
			want:  []string{`<stream:stream>`, `<message><!-- </message> --><body><![CDATA[</body></message>]]]></body><?pi </message>?></message>`},
		},
		{
			name:  "a restarted stream after STARTTLS",
			input: `<stream:stream><proceed xmlns='tls'/><?xml version='1.0'?><stream:stream id='2'><stream:features/>`,
			want:  []string{`<stream:stream>`, `<proceed xmlns='tls'/>`, `<?xml version='1.0'?>`, `<stream:stream id='2'>`, `<stream:features/>`},
		},
		{
			name:  "nested elements of the same name",
			input: `<s:stream><message><message><message/></message></message><a/></s:stream>`,
			want:  []string{`<s:stream>`, `<message><message><message/></message></message>`, `<a/>`, `</s:stream>`},
		},
		{
			name:  "whitespace keepalives only",
			input: "<stream:stream> \n \n\t<a/> \n",
			want:  []string{`<stream:stream>`, `<a/>`},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, n := range []int{0, 1, 2, 3, 7} {
				got := split(c.input, n)
				if !reflect.DeepEqual(raws(got), c.want) {
					t.Fatalf("chunks of %d: pieces\n%q\nwant\n%q", n, raws(got), c.want)
				}
				if c.names != nil {
					var names []string
					for _, p := range got {
						names = append(names, p.Name)
					}
					if !reflect.DeepEqual(names, c.names) {
						t.Fatalf("names %q, want %q", names, c.names)
					}
				}
			}
		})
	}
}

func TestSplitterHeaderAndEndFlags(t *testing.T) {
	got := split(`<stream:stream><a/></stream:stream>`, 0)
	if len(got) != 3 || !got[0].Header || got[1].Header || got[1].End || !got[2].End {
		t.Fatalf("flags: %+v", got)
	}
}

func TestSplitterBoundsAPiece(t *testing.T) {
	big := strings.Repeat("x", maxPiece+500)
	got := split(`<stream:stream><message><body>`+big+`</body></message><a/>`, 4096)
	if len(got) != 3 {
		t.Fatalf("%d pieces", len(got))
	}
	m := got[1]
	if len(m.Raw) != maxPiece || m.Truncated != len(`<message><body>`)+len(big)+len(`</body></message>`)-maxPiece {
		t.Fatalf("kept %d bytes, dropped %d", len(m.Raw), m.Truncated)
	}
	if m.Name != "message" || string(got[2].Raw) != "<a/>" {
		t.Fatalf("after a huge piece: %q %q", m.Name, got[2].Raw)
	}
}

// FuzzSplitter: any input, fed in any chunks, gives the same pieces
// without panicking, and every piece's bytes come from the input in order.
func FuzzSplitter(f *testing.F) {
	for _, s := range []string{
		`<?xml version='1.0'?><stream:stream xmlns='jabber:client'><message to='a'><body>x</body></message></stream:stream>`,
		`<stream:stream><a b="'>"/><!-- -- --><![CDATA[ ]] ]]><?x ??></stream:stream>`,
		`</a></b><c/>text<d>`, `<<<>>>`, `<a x='`, `<!DOCTYPE x><a/>`, "\x00<\xff>",
	} {
		f.Add(s, uint8(3))
	}
	f.Fuzz(func(t *testing.T, input string, chunk uint8) {
		whole := split(input, 0)
		parts := split(input, int(chunk%16)+1)
		if !reflect.DeepEqual(raws(whole), raws(parts)) {
			t.Fatalf("chunking changed the pieces:\n%q\n%q", raws(whole), raws(parts))
		}
		rest := []byte(input)
		for _, p := range whole {
			i := bytes.Index(rest, p.Raw)
			if i < 0 {
				t.Fatalf("piece %q is not in the input after the previous one", p.Raw)
			}
			rest = rest[i+len(p.Raw):]
		}
	})
}
