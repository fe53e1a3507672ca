package scanhook

import (
	"strings"
	"testing"
)

func TestSniff(t *testing.T) {
	for in, want := range map[string]string{
		"\xff\xd8\xff\xe0\x00\x10JFIF":           "image/jpeg",
		"\x89PNG\r\n\x1a\n\x00\x00":              "image/png",
		"GIF89a\x01\x00":                         "image/gif",
		"RIFF\x00\x00\x00\x00WEBPVP8 ":           "image/webp",
		"RIFF\x00\x00\x00\x00AVI LIST":           "video/x-msvideo",
		"RIFF\x00\x00\x00\x00WAVEfmt ":           "audio/wav",
		"\x00\x00\x00\x18ftypheic\x00\x00":       "image/heif",
		"\x00\x00\x00\x18ftypavif\x00\x00":       "image/avif",
		"\x00\x00\x00\x18ftypisom\x00\x00":       "video/mp4",
		"\x00\x00\x00\x18ftypqt  \x00\x00":       "video/quicktime",
		"\x00\x00\x00\x18ftyp3gp5\x00\x00":       "video/3gpp",
		"\x00\x00\x00\x18ftypM4A \x00\x00":       "audio/mp4",
		"\x1a\x45\xdf\xa3\x01\x00webm":           "video/webm",
		"\x1a\x45\xdf\xa3\x01\x00matroska":       "video/x-matroska",
		"OggS\x00\x02\x00\x00\x00\x00\x01theora": "video/ogg",
		"OggS\x00\x02\x00\x00\x00\x00OpusHead":   "audio/ogg",
		"ID3\x04\x00":                            "audio/mpeg",
		"\xff\xfb\x90\x00":                       "audio/mpeg",
		"\xff\xf1\x50\x80":                       "audio/aac",
		"fLaC\x00":                               "audio/flac",
		"%PDF-1.7":                               "application/pdf",
		"PK\x03\x04\x14\x00":                     "application/zip",
		"\x1f\x8b\x08\x00":                       "application/gzip",
		"age-encryption.org/v1\n-> X25519":       "application/octet-stream",
		"-----BEGIN PGP MESSAGE-----\n":          "application/pgp-encrypted",
		"BM\x00\x00\x00\x00\x00\x00\x00\x00\x36\x00\x00\x00\x28\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00": "image/bmp",
		"hello, plain text": "",
		"":                  "",
		"\xff":              "",
	} {
		if got := Sniff([]byte(in)).MediaType; got != want {
			t.Errorf("Sniff(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Sniff([]byte("age-encryption.org/v1\n")); got.Kind != KindEncrypted {
		t.Errorf("age file: %+v", got)
	}
	tar := make([]byte, 512)
	copy(tar[257:], "ustar")
	if got := Sniff(tar); got.Format != "tar" {
		t.Errorf("tar: %+v", got)
	}
}

func TestParseDataURI(t *testing.T) {
	for in, want := range map[string]struct {
		typ  string
		data string
	}{
		"data:image/png;base64,aGVsbG8=":            {"image/png", "hello"},
		"DATA:Image/PNG;BASE64,aGVsbG8":             {"image/png", "hello"},
		"data:image/png;base64,aGVs%0AbG8=":         {"image/png", "hello"},
		"data:,hello%20world":                       {"text/plain", "hello world"},
		"data:text/plain;charset=utf-8;base64,aGk=": {"text/plain", "hi"},
		" data:image/jpeg;base64,aG Vs\nbG8= ":      {"image/jpeg", "hello"},
	} {
		d, err := ParseDataURI(in)
		if err != nil || d.MediaType != want.typ || string(d.Data) != want.data {
			t.Errorf("ParseDataURI(%q) = %+v, %v; want %v", in, d, err, want)
		}
	}
	for _, bad := range []string{"http://x/", "data:image/png;base64", "data:image/png;base64,!!!", "data:im age/png,x",
		"data:image/png;x,y", "data:" + strings.Repeat("a", 40) + ",x", "data:,%zz"} {
		_, err := ParseDataURI(bad)
		if err == nil {
			t.Errorf("ParseDataURI(%q) succeeded", bad)
		} else if len(err.Error()) > 160 {
			t.Errorf("error too long for one line: %q", err)
		}
	}
	huge := "data:image/png;base64," + strings.Repeat("A", (MaxThumbnailBytes/3+10)*4)
	if _, err := ParseDataURI(huge); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("huge thumbnail: %v", err)
	}
	d := DataURI{MediaType: "image/png", Params: []string{"name=x"}, Data: []byte{0, 1, 2, 255}}
	again, err := ParseDataURI(d.String())
	if err != nil || again.MediaType != d.MediaType || string(again.Data) != string(d.Data) || again.Params[0] != "name=x" {
		t.Errorf("round trip %+v -> %q -> %+v, %v", d, d.String(), again, err)
	}
}
