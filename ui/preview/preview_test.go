package preview

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

func writeImage(t *testing.T, w, h int, at func(x, y int) color.Color) string {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, at(x, y))
		}
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	p := filepath.Join(t.TempDir(), "i.png")
	if err := os.WriteFile(p, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// Half-blocks: two pixel rows per cell, exactly Cols cells a row, the
// upper pixel as foreground and the lower as background.
func TestBlocks(t *testing.T) {
	// Left half red, right half blue; top rows green stripe.
	p := writeImage(t, 200, 100, func(x, y int) color.Color {
		if y < 25 {
			return color.NRGBA{0, 255, 0, 255}
		}
		if x < 100 {
			return color.NRGBA{255, 0, 0, 255}
		}
		return color.NRGBA{0, 0, 255, 255}
	})
	img, err := Render(p, 40, 8, Blocks, 1)
	if err != nil {
		t.Fatal(err)
	}
	if img.Cols != 32 || len(img.Rows) != 8 || img.Transmit != "" {
		t.Fatalf("%d cols × %d rows (want the 2:1 image in 32×8)", img.Cols, len(img.Rows))
	}
	for i, r := range img.Rows {
		if w := ansi.StringWidth(r); w != img.Cols {
			t.Fatalf("row %d is %d cells wide", i, w)
		}
	}
	if !strings.HasPrefix(img.Rows[0], "\x1b[38;2;0;255;0;48;2;0;255;0m▀") {
		t.Fatalf("first cell %q: want green on green", img.Rows[0][:40])
	}
	last := img.Rows[7]
	if !strings.Contains(last, "\x1b[38;2;255;0;0;48;2;255;0;0m▀") || !strings.Contains(last, "\x1b[38;2;0;0;255;48;2;0;0;255m▀") {
		t.Fatal("the bottom row lacks the red and the blue halves")
	}
	// Small images are not enlarged; an odd height leaves the last lower
	// half empty.
	small, _ := Render(writeImage(t, 5, 3, func(int, int) color.Color { return color.White }), 40, 8, Blocks, 1)
	if small.Cols != 5 || len(small.Rows) != 2 || !strings.Contains(small.Rows[1], ";49m▀") {
		t.Fatalf("small: %+v", small)
	}
}

// A header that promises more pixels than MaxPixels is refused before
// anything is allocated; what is not an image is refused too.
func TestDecodeLimits(t *testing.T) {
	var b bytes.Buffer
	png.Encode(&b, image.NewGray(image.Rect(0, 0, 1, 1)))
	raw := b.Bytes()
	// IHDR starts at byte 8: length, "IHDR", width, height, ..., CRC.
	binary.BigEndian.PutUint32(raw[16:], 19000)
	binary.BigEndian.PutUint32(raw[20:], 19000)
	binary.BigEndian.PutUint32(raw[29:], crc32.ChecksumIEEE(raw[12:29]))
	bomb := filepath.Join(t.TempDir(), "bomb.png")
	os.WriteFile(bomb, raw, 0o600)
	if _, err := Render(bomb, 40, 8, Blocks, 1); err == nil || !strings.Contains(err.Error(), "19000x19000 png is too large") {
		t.Fatalf("bomb: %v", err)
	}
	text := filepath.Join(t.TempDir(), "notes.png")
	os.WriteFile(text, []byte("just text"), 0o600)
	if _, err := Render(text, 40, 8, Blocks, 1); err == nil || !strings.Contains(err.Error(), "not an image") {
		t.Fatalf("text: %v", err)
	}
	if _, err := Render(text+".missing", 40, 8, Blocks, 1); err == nil {
		t.Fatal("a missing file rendered")
	}
}

// Kitty: the PNG goes in chunks of at most 4096 base64 bytes, the first
// with the placement, the last with m=0; the placeholders are cols cells
// wide in the colour of the image id.
func TestKitty(t *testing.T) {
	// Noise, so that the PNG needs several chunks.
	p := writeImage(t, 300, 150, func(x, y int) color.Color { return color.NRGBA{uint8(x * y), uint8(x ^ y), uint8(x + 3*y), 255} })
	img, err := Render(p, 30, 10, Kitty, 0x010203)
	if err != nil {
		t.Fatal(err)
	}
	cmds := regexp.MustCompile("\x1b_G([^;]*);([^\x1b]*)\x1b\\\\").FindAllStringSubmatch(img.Transmit, -1)
	if len(cmds) < 2 || strings.Join(regexp.MustCompile("\x1b_G[^\x1b]*\x1b\\\\").FindAllString(img.Transmit, -1), "") != img.Transmit {
		t.Fatalf("%d graphics commands", len(cmds))
	}
	var payload strings.Builder
	for i, c := range cmds {
		keys, data := c[1], c[2]
		if len(data) > 4096 {
			t.Fatalf("chunk %d has %d bytes", i, len(data))
		}
		switch {
		case i == 0 && !strings.HasPrefix(keys, "a=T,f=100,U=1,q=2,i=66051,c=30,r=8,m=1"):
			t.Fatalf("first command %q", keys)
		case i > 0 && i < len(cmds)-1 && keys != "m=1", i == len(cmds)-1 && keys != "m=0":
			t.Fatalf("command %d: %q", i, keys)
		}
		payload.WriteString(data)
	}
	raw, err := base64.StdEncoding.DecodeString(payload.String())
	if err != nil {
		t.Fatal(err)
	}
	if cfg, err := png.DecodeConfig(bytes.NewReader(raw)); err != nil || cfg.Width != 300 || cfg.Height != 150 {
		t.Fatalf("transmitted %+v, %v", cfg, err)
	}
	if len(img.Rows) != 8 {
		t.Fatalf("%d rows", len(img.Rows))
	}
	for r, row := range img.Rows {
		if !strings.HasPrefix(row, "\x1b[38;2;1;2;3m"+placeholder+string(diacritics[r])+string(diacritics[0])) || strings.Count(row, placeholder) != 30 {
			t.Fatalf("row %d: %q", r, row)
		}
		if w := ansi.StringWidth(row); w != 30 {
			t.Fatalf("row %d is %d cells wide", r, w)
		}
	}
	if MaxKittyRows != len(diacritics) {
		t.Fatal("MaxKittyRows does not match the diacritics")
	}
}

func TestChoose(t *testing.T) {
	env := func(kv ...string) func(string) string {
		m := map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) string { return m[k] }
	}
	cases := []struct {
		config string
		env    func(string) string
		want   Mode
	}{
		{"", env("TERM", "xterm-kitty"), Kitty},
		{"auto", env("TERM", "xterm-256color", "KITTY_WINDOW_ID", "1"), Kitty},
		{"", env("TERM", "xterm-ghostty"), Kitty},
		{"", env("TERM", "xterm-256color", "TERM_PROGRAM", "ghostty"), Kitty},
		{"", env("TERM", "xterm-kitty", "TMUX", "/tmp/tmux-0/default,1,0"), Blocks},
		{"", env("TERM", "tmux-256color"), Blocks},
		{"", env("TERM", "foot"), Blocks},
		{"", env("TERM", "xterm-256color", "TERM_PROGRAM", "WezTerm"), Blocks},
		{"blocks", env("TERM", "xterm-kitty"), Blocks},
		{"kitty", env("TERM", "foot"), Kitty},
		{"off", env("TERM", "xterm-kitty"), Off},
	}
	for _, c := range cases {
		if got := Choose(c.config, c.env); got != c.want {
			t.Errorf("%q %v: %v, want %v", c.config, c.env("TERM"), got, c.want)
		}
	}
}

func TestCache(t *testing.T) {
	p := writeImage(t, 20, 20, func(int, int) color.Color { return color.Black })
	c := NewCache(Blocks)
	k := Key{Path: p, Cols: 10, Rows: 5}
	cmd := c.Request(k)
	if cmd == nil || c.Request(k) != nil {
		t.Fatal("Request must start once")
	}
	if _, st, _ := c.Get(k); st != Pending {
		t.Fatalf("state %v", st)
	}
	r := cmd().(Ready)
	if c.Store(r) != nil {
		t.Fatal("half-blocks need no transmission")
	}
	if img, st, err := c.Get(k); st != Done || err != nil || len(img.Rows) != 5 {
		t.Fatalf("%v %v %d rows", st, err, len(img.Rows))
	}
	for i := range maxEntries {
		c.Store(Ready{Key: Key{Path: "x", Cols: i}})
	}
	if _, st, _ := c.Get(k); st != Missing {
		t.Fatal("the oldest entry was not dropped")
	}
	kc := NewCache(Kitty)
	kr := kc.Request(k)().(Ready)
	if raw, ok := kc.Store(kr)().(tea.RawMsg); !ok || raw.Msg != kr.Image.Transmit {
		t.Fatal("kitty's transmission is not sent raw")
	}
	if NewCache(Off).Request(k) != nil {
		t.Fatal("Off draws")
	}
}
