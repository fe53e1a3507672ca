package scanhook

import (
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/candor-xmpp/candor/internal/testenv"
	"github.com/candor-xmpp/candor/scanhook/pdq"
)

func interim(t *testing.T, mut func(*Settings)) *Pipeline {
	s := DefaultSettings().WithMode(ModeInterim2021)
	if mut != nil {
		mut(&s)
	}
	return newTestPipeline(t, s, Options{})
}

func imageOnly(atts ...Attachment) Message {
	return Message{ID: "img", Account: alice, Attachments: atts}
}

func TestTestPicturesAreFarApart(t *testing.T) {
	a, b := hashOf(t, pattern(1, 256, 256)), hashOf(t, pattern(2, 256, 256))
	if d := a.Distance(b); d <= 2*pdq.DefaultThreshold {
		t.Fatalf("seeds 1 and 2 only %d bits apart; the tests need unrelated pictures", d)
	}
}

func TestImageMatchByBytesNotName(t *testing.T) {
	p := interim(t, nil)
	res := check(t, p, imageOnly(attach("report.pdf", encodeJPEG(t, pattern(1, 256, 256)))))
	img := onePart(t, res, PartImage)
	if !img.Matched || img.Nearest.EntryID != "PIC-KNOWN" || img.Nearest.Distance > img.Nearest.Threshold ||
		img.Sniffed.Format != "jpeg" || len(img.Hashes) != 1 || *img.Quality < 50 {
		t.Fatalf("JPEG named .pdf: %+v nearest %+v", img, img.Nearest)
	}
	// A PDF named .jpg is a file, not an image.
	res = check(t, p, imageOnly(attach("photo.jpg", []byte("%PDF-1.7\n..."))))
	file := onePart(t, res, PartFile)
	if file.Scanned || !strings.Contains(file.NotScannedReason, "pdf") || !strings.Contains(file.NotScannedReason, "photo.jpg") {
		t.Fatalf("PDF named .jpg: %+v", file)
	}
}

func TestThresholdDecides(t *testing.T) {
	// The known picture with a patch painted over: near, but not equal.
	img := pattern(1, 256, 256)
	for y := 0; y < 40; y++ {
		for x := 0; x < 40; x++ {
			img.Set(x, y, color.Gray{Y: 128})
		}
	}
	png := encodePNG(t, img)
	near := onePart(t, check(t, interim(t, nil), imageOnly(attach("a", png))), PartImage)
	if !near.Matched || near.Nearest.Distance == 0 {
		t.Fatalf("patched picture: %+v; want a match at a distance above 0", near.Nearest)
	}
	tight := interim(t, func(s *Settings) { s.PDQThreshold = near.Nearest.Distance - 1 })
	if img := onePart(t, check(t, tight, imageOnly(attach("a", png))), PartImage); img.Matched ||
		img.Nearest.Threshold != near.Nearest.Distance-1 || img.Nearest.Distance != near.Nearest.Distance {
		t.Fatalf("threshold below the distance: %+v", img.Nearest)
	}
}

func TestDihedralMatchingFindsRotations(t *testing.T) {
	rotated := encodePNG(t, rotate90(pattern(1, 256, 256)))
	plain := onePart(t, check(t, interim(t, nil), imageOnly(attach("r.png", rotated))), PartImage)
	if plain.Matched || plain.Nearest.Distance <= pdq.DefaultThreshold {
		t.Fatalf("rotation matched without dihedral matching: %+v", plain.Nearest)
	}
	dih := onePart(t, check(t, interim(t, func(s *Settings) { s.Dihedral = true }), imageOnly(attach("r.png", rotated))), PartImage)
	if !dih.Matched || len(dih.Hashes) != 8 || dih.Nearest.Variant == "original" {
		t.Fatalf("dihedral: %+v nearest %+v", dih.Hashes, dih.Nearest)
	}
}

func TestQualityGate(t *testing.T) {
	flatPNG := encodePNG(t, flat(256, 256))
	gated := onePart(t, check(t, interim(t, nil), imageOnly(attach("f.png", flatPNG))), PartImage)
	if gated.Matched || *gated.QualityPassed || *gated.Quality >= 50 || gated.Nearest.Distance != 0 ||
		!strings.Contains(gated.Note, "quality gate") {
		t.Fatalf("flat image with the gate: %+v", gated)
	}
	open := onePart(t, check(t, interim(t, func(s *Settings) { s.QualityGate = false }), imageOnly(attach("f.png", flatPNG))), PartImage)
	if !open.Matched {
		t.Fatalf("flat image without the gate: %+v", open.Nearest)
	}
}

func TestNewMaterialSwitch(t *testing.T) {
	msg := imageOnly(attach("n.png", encodePNG(t, pattern(2, 256, 256))))
	if img := onePart(t, check(t, interim(t, nil), msg), PartImage); !img.Matched || img.Nearest.Class != ClassNew {
		t.Fatalf("new entry: %+v", img.Nearest)
	}
	known := interim(t, func(s *Settings) { *s = s.WithSwitch(SwitchNew, false) })
	if img := onePart(t, check(t, known, msg), PartImage); img.Matched {
		t.Fatalf("known-only matched a new entry: %+v", img.Nearest)
	}
}

func TestAnimatedGIFIsAVideoScannedThroughFrames(t *testing.T) {
	msg := imageOnly(attach("anim.bin", animatedGIF(t, 8)))
	res := check(t, interim(t, nil), msg)
	video := onePart(t, res, PartVideo)
	frames := partsOf(res, PartVideoFrame)
	if !video.Scanned || len(frames) != maxSampledFrames || video.Sniffed.Format != "gif" {
		t.Fatalf("video %+v, %d frames", video, len(frames))
	}
	for _, f := range frames {
		if !f.Scanned || len(f.Hashes) != 1 || !strings.Contains(f.Origin, "of 8") {
			t.Errorf("frame %+v", f)
		}
	}
	noVideo := interim(t, func(s *Settings) { *s = s.WithSwitch(SwitchVideo, false) })
	for _, part := range check(t, noVideo, msg).Parts {
		if part.Scanned {
			t.Errorf("video off, yet %s scanned", part.Origin)
		}
	}
}

func TestUndecodableVideoIsListedHonestly(t *testing.T) {
	mp4 := append([]byte("\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"), make([]byte, 64)...)
	res := check(t, interim(t, nil), imageOnly(attach("clip.txt", mp4)))
	video := onePart(t, res, PartVideo)
	if video.Scanned || !strings.Contains(video.NotScannedReason, "NOT scanned") || !strings.Contains(video.NotScannedReason, "mp4") {
		t.Fatalf("mp4: %+v", video)
	}
	found := false
	for _, l := range res.Limits {
		found = found || strings.Contains(l, "Videos other than animated GIFs")
	}
	if !found {
		t.Errorf("limits do not mention undecoded video: %v", res.Limits)
	}
}

func TestAudioAndOtherFilesAreNotScanned(t *testing.T) {
	res := check(t, interim(t, nil), imageOnly(attach("voice.jpg", []byte("OggS\x00\x02........OpusHead....")),
		attach("x.png", []byte("PK\x03\x04zipzipzip"))))
	if a := onePart(t, res, PartAudio); a.Scanned || !strings.Contains(a.NotScannedReason, "Art. 1(2)") {
		t.Errorf("audio %+v", a)
	}
	if f := onePart(t, res, PartFile); f.Scanned || !strings.Contains(f.NotScannedReason, "zip") {
		t.Errorf("zip %+v", f)
	}
}

func TestThumbnailsAreScannedByTheirBytes(t *testing.T) {
	thumb := encodePNG(t, pattern(1, 64, 64))
	msg := imageOnly(Attachment{Name: "doc.pdf", Open: attach("", []byte("%PDF-1.4")).Open,
		Thumbnails: []string{dataURI("image/jpeg", thumb), dataURI("image/png", []byte("not an image")), "data:broken"}})
	res := check(t, interim(t, nil), msg)
	thumbs := partsOf(res, PartThumbnail)
	if len(thumbs) != 3 {
		t.Fatalf("%d thumbnails", len(thumbs))
	}
	if !thumbs[0].Scanned || thumbs[0].Sniffed.Format != "png" || thumbs[0].DeclaredType != "image/jpeg" {
		t.Errorf("thumbnail 0: %+v", thumbs[0])
	}
	if thumbs[1].Scanned || !strings.Contains(thumbs[1].NotScannedReason, "not an image by its bytes") {
		t.Errorf("thumbnail 1: %+v", thumbs[1])
	}
	if thumbs[2].Scanned || thumbs[2].Error == "" {
		t.Errorf("thumbnail 2: %+v", thumbs[2])
	}
}

func TestUnreadableAttachmentIsReportedNotFatal(t *testing.T) {
	res := check(t, interim(t, nil), imageOnly(Attachment{Name: "gone.jpg"}, attach("broken.jpg", []byte("\xff\xd8\xff\xe0garbage"))))
	if len(res.Parts) != 2 || res.Parts[0].Error == "" || res.Parts[1].Error == "" {
		t.Fatalf("parts %+v", res.Parts)
	}
	if res.Decision.Action != ActionAllow {
		t.Errorf("decision %+v", res.Decision)
	}
}

// The demo list's hashes are the C++ reference's; the real Go hasher must
// match the same harmless images within the threshold, and the quality-4
// entry must fall at the gate.
func TestDemoPDQListMatchesItsImages(t *testing.T) {
	dir := filepath.Join(testenv.SharedDir(t), "testdata", "pdq")
	p := newTestPipeline(t, DefaultSettings().WithMode(ModeInterim2021), Options{Lists: mustDemoLists(t)})
	for file, want := range map[string]string{
		"reg-test-input/dih/bridge-1-original.jpg":  "DEMO-001",
		"bridge-mods/shrink-a-lot.jpg":              "DEMO-001",
		"reg-test-input/labelme-subset/q0122.jpg":   "DEMO-006",
		"misc-images/wee.jpg":                       "DEMO-003",
		"reg-test-input/labelme-subset/q0291.jpg":   "DEMO-NEW-001",
		"reg-test-input/labelme-subset/q0004.jpg":   "", // quality 4: gated
		"reg-test-input/dih/bridge-2-rotate-90.jpg": "", // no dihedral matching
		"reg-test-input/labelme-subset/q2821.jpg":   "", // not listed
	} {
		b, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			t.Fatal(err)
		}
		img := onePart(t, check(t, p, imageOnly(attach(filepath.Base(file), b))), PartImage)
		got := ""
		if img.Matched {
			got = img.Nearest.EntryID
		}
		if got != want {
			t.Errorf("%s matched %q, want %q (nearest %+v)", file, got, want, img.Nearest)
		}
		if img.Matched && !strings.HasPrefix(img.Nearest.Label, "DEMO ENTRY") {
			t.Errorf("%s: label %q", file, img.Nearest.Label)
		}
	}
}

func mustDemoLists(t *testing.T) *Lists {
	ls, err := DemoLists()
	if err != nil {
		t.Fatal(err)
	}
	return ls
}
