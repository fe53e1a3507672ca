package session

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/candor-xmpp/candor/internal/store"
)

func TestUploadInfo(t *testing.T) {
	form := func(fields string) string {
		return `<query xmlns='http://jabber.org/protocol/disco#info'><feature var='urn:xmpp:http:upload:0'/>` +
			`<x xmlns='jabber:x:data' type='result'>` + fields + `</x></query>`
	}
	typ := `<field var='FORM_TYPE' type='hidden'><value>urn:xmpp:http:upload:0</value></field>`
	cases := []struct {
		raw string
		ok  bool
		max int64
	}{
		{form(typ + `<field var='max-file-size'><value>10485760</value></field>`), true, 10485760},
		{form(typ + `<field var='max-file-size'><value> 42 </value></field>`), true, 42},
		{form(typ + `<field var='max-file-size'><value>-1</value></field>`), true, 0},
		{form(typ + `<field var='max-file-size'><value>lots</value></field>`), true, 0},
		{form(`<field var='max-file-size'><value>5</value></field>`), true, 0}, // no FORM_TYPE: not this form
		{form(typ), true, 0},
		{`<query xmlns='http://jabber.org/protocol/disco#info'><feature var='urn:xmpp:http:upload'/></query>`, false, 0},
	}
	for _, c := range cases {
		var info wireDiscoInfo
		if err := xml.Unmarshal([]byte(c.raw), &info); err != nil {
			t.Fatal(err)
		}
		if ok, max := uploadInfo(info); ok != c.ok || max != c.max {
			t.Errorf("%s: %v %d, want %v %d", c.raw, ok, max, c.ok, c.max)
		}
	}
}

func TestParseSlot(t *testing.T) {
	slotXML := func(put, get, headers string) wireSlot {
		var w wireSlot
		raw := `<slot xmlns='urn:xmpp:http:upload:0'><put url='` + put + `'>` + headers + `</put><get url='` + get + `'/></slot>`
		if err := xml.Unmarshal([]byte(raw), &w); err != nil {
			t.Fatal(err)
		}
		return w
	}
	ok := "https://up.example:5281/a/b.png"
	s, err := parseSlot(slotXML(ok, ok, `<header name='authorization'>Bearer t</header><header name='Host'>evil.example</header><header name='Cookie'>c=1</header>`))
	if err != nil || s.header.Get("Authorization") != "Bearer t" || s.header.Get("Cookie") != "c=1" || s.header.Get("Host") != "" || len(s.header) != 2 {
		t.Fatalf("slot %+v, %v", s, err)
	}
	for _, bad := range []struct{ put, get, headers, want string }{
		{"http://up.example/a", ok, "", "put URL is not https"},
		{ok, "http://up.example/a", "", "get URL is not https"},
		{ok, "", "", "no get URL"},
		{ok, "https://user:pw@up.example/a", "", "credentials"},
		{ok, "https://up.example/a#frag", "", "fragment"},
		{ok, "https:///nohost", "", "no host"},
		{ok, ok, "<header name='Authorization'>a&#13;&#10;X-Evil: 1</header>", "malformed"},
		{"https://up.example/" + strings.Repeat("a", maxSlotURL), ok, "", "bytes long"},
	} {
		if _, err := parseSlot(slotXML(bad.put, bad.get, bad.headers)); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%+v: %v", bad, err)
		}
	}
}

func TestFileOf(t *testing.T) {
	key := strings.Repeat("0a", 44)
	aes := "aesgcm://up.example/x/My%20Photo.JPG#" + key
	cases := []struct {
		body string
		oob  []string
		name string // "" for no file
		enc  bool
	}{
		{aes, nil, "My Photo.JPG", true},
		{"  " + aes + "\n", nil, "My Photo.JPG", true},
		{aes + "\ndata:image/jpeg;base64,AAAA", nil, "My Photo.JPG", true},
		{aes + "\nlook at this", nil, "", false},
		{"look: " + aes, nil, "", false},
		{"aesgcm://up.example/x/a.png#" + key[:80], nil, "", false},
		{"https://up.example/y/doc.pdf", []string{"https://up.example/y/doc.pdf"}, "doc.pdf", false},
		{"https://up.example/y/doc.pdf", nil, "", false},
		{"https://up.example/y/doc.pdf", []string{"https://up.example/y/other.pdf"}, "", false},
		{"http://up.example/y/doc.pdf", []string{"http://up.example/y/doc.pdf"}, "", false},
		{"https://up.example/y/..%2F..%2F.bashrc", []string{"https://up.example/y/..%2F..%2F.bashrc"}, "bashrc", false},
		{"https://up.example/", []string{"https://up.example/"}, "file", false},
	}
	for _, c := range cases {
		f := fileOf(c.body, c.oob)
		switch {
		case c.name == "" && f != nil:
			t.Errorf("%q: found %+v", c.body, f)
		case c.name != "" && f == nil:
			t.Errorf("%q: no file", c.body)
		case f != nil && (f.Name != c.name || f.Encrypted != c.enc || f.Size != -1):
			t.Errorf("%q: %+v", c.body, f)
		}
	}
	if f := fileOf(aes, nil); f.MediaType != "image/jpeg" || f.URL != aes {
		t.Fatalf("%+v", f)
	}
}

func TestSafeFileName(t *testing.T) {
	long := strings.Repeat("é", 100) + ".jpeg"
	for in, want := range map[string]string{
		"photo.png":       "photo.png",
		"../../etc/x":     "x",
		`..\..\win.ini`:   "win.ini",
		".hidden":         "hidden",
		"a\x00b\nc\u202e": "abc",
		"":                "file",
		"...":             "file",
		"  spaced  .txt ": "spaced  .txt",
	} {
		if got := safeFileName(in); got != want {
			t.Errorf("safeFileName(%q) = %q, want %q", in, got, want)
		}
	}
	if got := safeFileName(long); len(got) > 120 || !strings.HasSuffix(got, ".jpeg") || !strings.HasPrefix(got, "éé") {
		t.Errorf("long name became %q", got)
	}
}

func TestRedactLinks(t *testing.T) {
	key := strings.Repeat("7f", 44)
	in := "first AESGCM://h.example/a.png#" + key + " then aesgcm://h.example/b#" + key + "\nhttps://h.example/c#ok"
	got := RedactLinks(in)
	if strings.Contains(got, key) || !strings.Contains(got, "AESGCM://h.example/a.png#…") || !strings.Contains(got, "https://h.example/c#ok") {
		t.Fatalf("RedactLinks = %q", got)
	}
}

func TestPlaceFileNeverReplaces(t *testing.T) {
	dir := t.TempDir()
	staging, err := makeStaging(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "a.txt"), []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"a (2).txt", "a (3).txt"} {
		staged := filepath.Join(staging, "s")
		os.WriteFile(staged, []byte{byte(i)}, 0o600)
		got, err := placeFile(staged, dir, "a.txt")
		if err != nil || got != filepath.Join(dir, want) {
			t.Fatalf("placeFile = %q, %v", got, err)
		}
		os.Remove(staged)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "a.txt")); string(b) != "old" {
		t.Fatal("the existing file was replaced")
	}
	staged := filepath.Join(staging, "s")
	os.WriteFile(staged, nil, 0o600)
	if got, _ := placeFile(staged, dir, "noext"); got != filepath.Join(dir, "noext") {
		t.Fatalf("got %q", got)
	}
}

func TestUploadName(t *testing.T) {
	a, ra := uploadName("Holiday Photo.JPG", NameRandom)
	b, _ := uploadName("Holiday Photo.JPG", NameRandom)
	if !ra || a == b || !strings.HasSuffix(a, ".jpg") || len(a) != 20 || strings.Contains(strings.ToLower(a), "holiday") {
		t.Fatalf("random names %q %q", a, b)
	}
	if o, r := uploadName("x.tar.gz", NameOpaque); !r || strings.Contains(o, ".") || len(o) != 16 {
		t.Fatalf("opaque %q", o)
	}
	if n, r := uploadName("../Holiday Photo.JPG", NameOriginal); r || n != "Holiday Photo.JPG" {
		t.Fatalf("original %q", n)
	}
	if w, _ := uploadName("weird.ext with space", NameRandom); strings.Contains(w, ".") {
		t.Fatalf("kept an odd extension: %q", w)
	}
}

func TestLeakLines(t *testing.T) {
	base := UploadLeak{Service: "upload.example", Host: "files.example", FileName: "k2j4.png", RandomName: true,
		Size: 1040, ContentType: "application/octet-stream", Uploader: "alice@example", Encrypted: true}
	joined := func(l UploadLeak) (string, string) {
		learns, private := l.Lines()
		return strings.Join(learns, "\n"), strings.Join(private, "\n")
	}
	learns, private := joined(base)
	for _, want := range []string{`"k2j4.png": random, but the extension is real`, "1040 bytes", "says nothing", "alice@example", "IP address",
		"NOT private", "can read the link and its key"} {
		if !strings.Contains(learns, want) {
			t.Errorf("learns lacks %q:\n%s", want, learns)
		}
	}
	if !strings.Contains(private, "ciphertext") || strings.Contains(private, "the key") {
		t.Errorf("private with a plaintext link message:\n%s", private)
	}
	withOMEMO := base
	withOMEMO.LinkEncrypted = true
	learns, private = joined(withOMEMO)
	if strings.Contains(learns, "NOT private") || !strings.Contains(private, "#fragment") {
		t.Errorf("OMEMO link:\n%s\n--\n%s", learns, private)
	}
	plain := base
	plain.Encrypted, plain.RandomName, plain.FileName, plain.ContentType = false, false, "me.png", "image/png"
	learns, private = joined(plain)
	if !strings.Contains(learns, "real name") || !strings.Contains(learns, "the whole file") || !strings.Contains(private, "nothing") {
		t.Errorf("plaintext upload:\n%s\n--\n%s", learns, private)
	}
}

// fileInfo never carries the link, and names where the file is stored.
func TestFileInfoHidesTheLink(t *testing.T) {
	key := strings.Repeat("11", 44)
	fi := fileInfo(store.File{URL: "aesgcm://files.example:443/a/b.png#" + key, Name: "b.png", Encrypted: true, Size: 3})
	if fi.Host != "files.example" || fi.Name != "b.png" || fi.Size != 3 {
		t.Fatalf("%+v", fi)
	}
}

// A download that ends while another one is under way leaves the staging
// folder to it: only the last one out removes it.
func TestStagingOutlivesConcurrentDownloads(t *testing.T) {
	dir := t.TempDir()
	fm := &fileManager{}
	first, err := fm.enterStaging(dir)
	if err != nil {
		t.Fatal(err)
	}
	second, err := fm.enterStaging(dir)
	if err != nil || second != first {
		t.Fatalf("second download staged in %q (%v), the first in %q", second, err, first)
	}
	fm.leaveStaging(first)
	if _, err := os.Stat(second); err != nil {
		t.Fatalf("the staging folder went while a download still used it: %v", err)
	}
	fm.leaveStaging(second)
	if _, err := os.Stat(second); !os.IsNotExist(err) {
		t.Fatalf("the staging folder stayed after the last download: %v", err)
	}
}
