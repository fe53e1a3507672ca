package scanhook

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"
)

func FuzzParseList(f *testing.F) {
	ls, err := DemoLists()
	if err != nil {
		f.Fatal(err)
	}
	for _, l := range []*List{ls.PDQ, ls.URLs, ls.Lexicon} {
		f.Add(string(l.Marshal()))
	}
	f.Add(ListHeader + "\n# kind: lexicon\n# name: x\nA\tb  C\t1e-3\tDEMO\n")
	f.Add("garbage")
	f.Fuzz(func(t *testing.T, text string) {
		l, err := ParseList("fuzz.list", strings.NewReader(text))
		if err != nil {
			if strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), "fuzz.list") {
				t.Fatalf("error not one line naming the file: %q", err)
			}
			return
		}
		if len(l.Entries) > MaxListEntries {
			t.Fatalf("%d entries accepted", len(l.Entries))
		}
		again, err := ParseList("fuzz.list", bytes.NewReader(l.Marshal()))
		if err != nil {
			t.Fatalf("marshalled list does not parse: %v\n%s", err, l.Marshal())
		}
		if !sameList(l, again) {
			t.Fatalf("round trip changed the list:\n%+v\n%+v", l, again)
		}
	})
}

func FuzzNormalizeURL(f *testing.F) {
	for _, s := range []string{"https://Blocked.EXAMPLE:443/a/../b?x=%7e", "aesgcm://up.example/f", "http://[::1]:80/",
		"http://bücher.example/", "https://u:p@h.example/%2f", "www.example.org", "http://a..b/"} {
		f.Add(s, []byte{0x01, 0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x10, 0x20})
	}
	f.Fuzz(func(t *testing.T, base string, key []byte) {
		secret := hex.EncodeToString(key)
		raw := base + "#" + secret
		n, err := NormalizeURL(raw)
		leakCheck := len(secret) >= 16 && !strings.Contains(strings.ToLower(base), secret)
		if err != nil {
			if leakCheck && strings.Contains(strings.ToLower(err.Error()), secret) {
				t.Fatalf("the fragment leaked into the error: %q", err)
			}
			return
		}
		if !n.FragmentDropped || strings.Contains(n.URL, "#") {
			t.Fatalf("fragment kept: %+v", n)
		}
		if leakCheck && strings.Contains(strings.ToLower(n.URL), secret) {
			t.Fatalf("the fragment leaked: %+v", n)
		}
		again, err := NormalizeURL(n.URL)
		if err != nil || again.URL != n.URL || again.SHA256 != n.SHA256 {
			t.Fatalf("not idempotent: %q -> %q (%v)", n.URL, again.URL, err)
		}
	})
}

func FuzzExtractURLs(f *testing.F) {
	f.Add("see (https://blocked.example/a), www.example.org/x. aesgcm://u.example/f#k")
	f.Add("no links here")
	f.Fuzz(func(t *testing.T, text string) {
		for _, u := range ExtractURLs(text) {
			lower := strings.ToLower(u)
			if !strings.HasPrefix(lower, "http://") && !strings.HasPrefix(lower, "https://") &&
				!strings.HasPrefix(lower, "aesgcm://") && !strings.HasPrefix(lower, "ftp://") {
				t.Fatalf("extracted %q", u)
			}
			_, _ = NormalizeURL(u)
		}
	})
}

func FuzzSniff(f *testing.F) {
	for _, s := range []string{"\xff\xd8\xff", "\x89PNG\r\n\x1a\n", "GIF89a", "RIFF0000WEBP", "\x00\x00\x00\x18ftypisom",
		"OggS", "\x1a\x45\xdf\xa3", "BM", "\xff\xfb", "%PDF-"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		s := Sniff(b)
		if s != Sniff(append([]byte(nil), b...)) {
			t.Fatal("not deterministic")
		}
		if (s.Format == "") != (s.Kind == KindUnknown && s.MediaType == "") {
			t.Fatalf("inconsistent %+v", s)
		}
	})
}

func FuzzParseDataURI(f *testing.F) {
	f.Add("data:image/png;base64,aGVsbG8=")
	f.Add("data:,hello%20world")
	f.Add("data:text/plain;charset=utf-8;base64,aGk")
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDataURI(s)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line error %q", err)
			}
			return
		}
		again, err := ParseDataURI(d.String())
		if err != nil {
			t.Fatalf("%q does not parse: %v", d.String(), err)
		}
		if again.MediaType != d.MediaType || !bytes.Equal(again.Data, d.Data) ||
			strings.Join(again.Params, ";") != strings.Join(d.Params, ";") {
			t.Fatalf("round trip %+v -> %+v", d, again)
		}
	})
}

// FuzzAttachment feeds arbitrary bytes to the whole pipeline as an
// attachment and as a thumbnail: sniffing, GIF frames, PDQ decoding. It
// must never panic, and every part must be scanned or say why not.
func FuzzAttachment(f *testing.F) {
	f.Add([]byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"))
	f.Add([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR"))
	f.Add([]byte("\xff\xd8\xff\xe0"))
	p, err := New(Options{Settings: DefaultSettings().WithMode(ModeCommission2022)})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		msg := Message{ID: "f", Account: alice, EndToEndEncrypted: true,
			Attachments: []Attachment{{Name: "x", Open: attach("x", b).Open, Thumbnails: []string{dataURI("image/png", b)}}}}
		res, err := p.Check(t.Context(), msg)
		if err != nil {
			t.Fatal(err)
		}
		for _, part := range res.Parts {
			if !part.Scanned && part.NotScannedReason == "" && !part.Blocked {
				t.Fatalf("part %s neither scanned nor explained", part.Origin)
			}
		}
	})
}
