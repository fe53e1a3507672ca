package scanhook

import (
	"fmt"
	"image"
	"strings"
)

// partData is what a part holds besides its description: the bytes or
// decoded frame the scanners need. It never leaves the pipeline.
type partData struct {
	text  string
	bytes []byte
	frame image.Image
}

// listUnread lists the body and the attachments without reading anything:
// used when the mode gate says nothing is scanned.
func listUnread(msg *Message, reason string) []Part {
	var parts []Part
	if strings.TrimSpace(msg.Body) != "" {
		parts = append(parts, Part{Kind: PartText, Origin: "body", Attachment: -1, Size: len(msg.Body), NotScannedReason: reason})
	}
	for i, a := range msg.Attachments {
		parts = append(parts, Part{Kind: PartFile, Origin: fmt.Sprintf("attachment %d", i), Attachment: i,
			Name: a.Name, DeclaredType: a.DeclaredType, NotScannedReason: reason + " (the file was not read)"})
	}
	for i := range parts {
		parts[i].Index = i
	}
	return parts
}

// extractParts splits a message into the parts a scanner would see: the
// body text, each link in it, each attachment by its bytes, the frames of
// animations, and thumbnails. Kinds come from the bytes, never the names.
func extractParts(msg *Message) ([]Part, []partData) {
	var parts []Part
	var data []partData
	add := func(p Part, d partData) {
		p.Index = len(parts)
		parts = append(parts, p)
		data = append(data, d)
	}
	if strings.TrimSpace(msg.Body) != "" {
		add(Part{Kind: PartText, Origin: "body", Attachment: -1, Size: len(msg.Body)}, partData{text: msg.Body})
	}
	for i, raw := range ExtractURLs(msg.Body) {
		p := Part{Kind: PartLink, Origin: fmt.Sprintf("body link %d", i), Attachment: -1}
		n, err := NormalizeURL(raw)
		if err != nil {
			p.Error = err.Error()
			p.NotScannedReason = "the link could not be normalised"
		} else {
			p.URL = &n
			p.Size = len(n.URL)
		}
		add(p, partData{})
	}
	for i, a := range msg.Attachments {
		origin := fmt.Sprintf("attachment %d", i)
		p := Part{Origin: origin, Attachment: i, Name: a.Name, DeclaredType: a.DeclaredType, Kind: PartFile}
		b, truncated, err := readAttachment(a)
		if err != nil {
			p.Error = err.Error()
			p.NotScannedReason = "the file could not be read"
			add(p, partData{})
		} else {
			sn := Sniff(b)
			p.Sniffed = &sn
			p.Size = len(b)
			p.Kind = kindOfPart(sn)
			if truncated {
				p.NotScannedReason = fmt.Sprintf("larger than the simulation's limit of %d bytes", MaxAttachmentBytes)
				add(p, partData{})
			} else if sn.Format == "gif" {
				addGIF(p, b, add)
			} else {
				add(p, partData{bytes: b})
			}
		}
		for j, uri := range a.Thumbnails {
			t := Part{Kind: PartThumbnail, Origin: fmt.Sprintf("%s thumbnail %d", origin, j), Attachment: i}
			d, err := ParseDataURI(uri)
			if err != nil {
				t.Error = err.Error()
				t.NotScannedReason = "the thumbnail could not be parsed"
				add(t, partData{})
				continue
			}
			sn := Sniff(d.Data)
			t.Sniffed, t.Size, t.DeclaredType = &sn, len(d.Data), d.MediaType
			if sn.Kind != KindImage {
				t.NotScannedReason = fmt.Sprintf("not an image by its bytes (%s), whatever it declares (%s)", sniffName(sn), d.MediaType)
			}
			add(t, partData{bytes: d.Data})
		}
	}
	return parts, data
}

// addGIF adds a GIF as an image (one frame) or as a video with its sampled
// frames (an animation is a video to a viewer).
func addGIF(p Part, b []byte, add func(Part, partData)) {
	frames, numbers, total, err := gifFrames(b)
	if err != nil {
		p.Kind = PartImage
		p.Error = "GIF: " + err.Error()
		p.NotScannedReason = "the image could not be decoded"
		add(p, partData{})
		return
	}
	if total == 1 {
		p.Kind = PartImage
		add(p, partData{frame: frames[0]})
		return
	}
	p.Kind = PartVideo
	add(p, partData{})
	for k, fr := range frames {
		add(Part{Kind: PartVideoFrame, Origin: fmt.Sprintf("%s frame %d of %d", p.Origin, numbers[k]+1, total),
			Attachment: p.Attachment, Size: p.Size}, partData{frame: fr})
	}
}

func kindOfPart(sn Sniffed) PartKind {
	switch sn.Kind {
	case KindImage:
		return PartImage
	case KindVideo:
		return PartVideo
	case KindAudio:
		return PartAudio
	}
	return PartFile
}

func sniffName(sn Sniffed) string {
	if sn.Format == "" {
		return "unrecognised bytes"
	}
	return string(sn.Kind) + ", " + sn.Format
}
