package scanhook

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

func TestNormalizeURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://Blocked.EXAMPLE/demo/1":               "https://blocked.example/demo/1",
		"HTTPS://blocked.example:443/demo/1":           "https://blocked.example/demo/1",
		"http://blocked.example:80":                    "http://blocked.example/",
		"http://blocked.example:8080/a":                "http://blocked.example:8080/a",
		"https://blocked.example:0443/a":               "https://blocked.example/a",
		"https://blocked.example./a":                   "https://blocked.example/a",
		"https://blocked.example/a/./b/../c":           "https://blocked.example/a/c",
		"https://blocked.example/%7euser/%2f%e2%82":    "https://blocked.example/~user/%2F%E2%82",
		"https://blocked.example/a?b=%7e&c=%2a#frag":   "https://blocked.example/a?b=~&c=%2A",
		"http://bücher.example/demo":                   "http://xn--bcher-kva.example/demo",
		"http://BÜCHER.example/demo":                   "http://xn--bcher-kva.example/demo",
		"https://user:pass@blocked.example/x":          "https://blocked.example/x",
		"http://[::1]:80/x":                            "http://[::1]/x",
		"http://127.0.0.1:8080/x":                      "http://127.0.0.1:8080/x",
		"aesgcm://upload.example/f/photo.jpg#0011aabb": "aesgcm://upload.example/f/photo.jpg",
	} {
		got, err := NormalizeURL(in)
		if err != nil || got.URL != want {
			t.Errorf("NormalizeURL(%q) = %q, %v; want %q", in, got.URL, err, want)
		}
	}
	for _, bad := range []string{"not a url", "mailto:a@example.org", "https://", "http://exa mple.org/", "https://a..b/", "https://x.example:99999/"} {
		if _, err := NormalizeURL(bad); err == nil {
			t.Errorf("NormalizeURL(%q) succeeded", bad)
		}
	}
}

func TestDemoURLListHashesItsLabels(t *testing.T) {
	ls := mustDemoLists(t)
	if len(ls.URLs.Entries) == 0 {
		t.Fatal("empty URL list")
	}
	for _, e := range ls.URLs.Entries {
		u := e.Label[strings.LastIndex(e.Label, " ")+1:]
		n, err := NormalizeURL(u)
		if err != nil || n.SHA256 != e.Value {
			t.Errorf("%s: label URL %q hashes to %s, list has %s (%v)", e.ID, u, n.SHA256, e.Value, err)
		}
		host := strings.Split(strings.TrimPrefix(strings.TrimPrefix(n.URL, "https://"), "http://"), "/")[0]
		if !strings.HasSuffix(host, ".example") && !strings.HasSuffix(host, ".invalid") {
			t.Errorf("%s: %s is not under a reserved name", e.ID, host)
		}
	}
}

func TestExtractURLs(t *testing.T) {
	text := "see (https://blocked.example/a), www.Example.org/x. and aesgcm://up.example/f#k, " +
		"not example[.]org nor hxxp://x.example; end http://w.example/p_(q)"
	want := []string{"https://blocked.example/a", "http://www.Example.org/x", "aesgcm://up.example/f#k", "http://w.example/p_(q)"}
	got := ExtractURLs(text)
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("ExtractURLs = %q, want %q", got, want)
	}
}

// The aesgcm:// fragment is the file's IV and key (XEP-0454). It must never
// reach a hash, a result, a report, the sink file or an error.
func TestAESGCMKeyNeverLeaks(t *testing.T) {
	const key = "b1b2c3d4e5f60718293a4b5c2a6b1e9f0d3c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a"
	dir := t.TempDir()
	sink, err := NewFileSink(dir)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := DefaultSettings().WithMode(ModeCommission2022).WithReading("urls-detection", 1)
	// The list holds the link's normalised form, so that it matches and a report is written.
	n, _ := NormalizeURL("aesgcm://share.example/upload/demo-listed.jpg")
	ls := testLists(t)
	ls.URLs, err = ParseList("k.list", strings.NewReader(ListHeader+"\n# kind: url-sha256\n# name: k\nK1\t"+n.SHA256+"\tknown\tDEMO key test\n"))
	if err != nil {
		t.Fatal(err)
	}
	p := newTestPipeline(t, s, Options{Sink: sink, Lists: ls})
	for _, body := range []string{
		"file aesgcm://share.example/upload/demo-listed.jpg#" + key,
		"AESGCM://SHARE.example:443/upload/demo-listed.jpg#" + key,
		"broken aesgcm://sha re.example/x#" + key,
		"aesgcm://share.example:99999/x#" + key,
	} {
		res := check(t, p, Message{ID: "k", Account: alice, Body: body, EndToEndEncrypted: true, ChildUser: true})
		j, err := json.Marshal(res)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(strings.ToLower(string(j)), key) {
			t.Errorf("the key leaked into the result of %q", body)
		}
	}
	b, err := os.ReadFile(sink.Path())
	if err != nil {
		t.Fatal(err)
	}
	if len(b) == 0 {
		t.Fatal("no report written; the test must see a report to prove the key is absent from it")
	}
	if strings.Contains(strings.ToLower(string(b)), key) {
		t.Error("the key leaked into the report sink")
	}
	n, err = NormalizeURL("aesgcm://share.example/x#" + key)
	if err != nil || !n.KeyDropped || !n.FragmentDropped || strings.Contains(n.URL, key) {
		t.Errorf("NormalizeURL = %+v, %v", n, err)
	}
}
