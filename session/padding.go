package session

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"math/bits"
)

// Padding an upload's size ([files] pad_size). XEP-0454 has no padding:
// the upload server learns the exact size (plus the 16-byte tag), and an
// exact size is often enough to recognise a known file. The link carries
// no length, so the receiver gets whatever bytes we upload: Candor pads
// only formats whose readers ignore what follows the file's end, so that
// Conversations, Dino or Gajim show the same picture or video, and leaves
// every other file exact (the leak report says so).
//
// Sizes grow to the Padmé bucket (Nikitin et al., "Reducing Metadata
// Leakage from Encrypted Files and Communication with PURBs", PETS 2019):
// at most about 12% more, and a size then reveals only O(log log n) bits.

// padme is the Padmé length for n bytes: n rounded up so that only the top
// bits of its binary length stay significant.
func padme(n int64) int64 {
	if n < 2 {
		return n
	}
	e := bits.Len64(uint64(n)) - 1 // floor(log2 n)
	s := bits.Len64(uint64(e))     // floor(log2 e) + 1
	mask := int64(1)<<(e-s) - 1
	return (n + mask) &^ mask
}

// padding is what sending one file adds to its end.
type padding struct {
	add     int64  // bytes appended to the plaintext (0: none)
	freeBox bool   // the bytes are an MP4 free box, not zeros
	format  string // what makes the bytes harmless: "JPEG ignores bytes after its end marker"
	refused string // why the file goes exact although padding was asked for
}

// mp4FreeBox is the header of an ISO BMFF "free" box: readers skip it.
const mp4FreeBox = 8

// planPadding decides the padding of a plaintext of size bytes and type
// mediaType whose upload may be at most max bytes (0: no limit) once
// encrypted with overhead bytes.
func planPadding(mediaType string, size, max, overhead int64) padding {
	var p padding
	minAdd := int64(0)
	switch mediaType {
	case "image/jpeg":
		p.format = "JPEG ignores bytes after its end marker"
	case "image/png":
		p.format = "PNG ignores bytes after its IEND chunk"
	case "image/gif":
		p.format = "GIF ignores bytes after its trailer"
	case "application/pdf":
		p.format = "PDF readers ignore bytes after %%EOF"
	case "video/mp4", "video/quicktime", "audio/mp4", "video/3gpp":
		p.format = "the bytes form a free box, which MP4 and QuickTime readers skip"
		p.freeBox, minAdd = true, mp4FreeBox
	default:
		p.refused = fmt.Sprintf("%s files would not stay intact with bytes added, so the size is exact", mediaType)
		return p
	}
	target := padme(size + minAdd)
	if max > 0 && target+overhead > max {
		target = max - overhead // a smaller bucket beats none
	}
	if target-size < minAdd || target <= size {
		p.refused = "no room for padding under the server's size limit, so the size is exact"
		return p
	}
	p.add = target - size
	return p
}

// trailer returns the bytes the padding appends: zeros, or a free box of
// that size (with a 64-bit size field past 4 GiB).
func (p padding) trailer() io.Reader {
	if !p.freeBox {
		return io.LimitReader(zeroReader{}, p.add)
	}
	var head []byte
	if p.add <= math.MaxUint32 {
		head = binary.BigEndian.AppendUint32(nil, uint32(p.add))
		head = append(head, "free"...)
	} else {
		head = append(binary.BigEndian.AppendUint32(nil, 1), "free"...) // 1: the size follows
		head = binary.BigEndian.AppendUint64(head, uint64(p.add))
	}
	return io.MultiReader(bytes.NewReader(head), io.LimitReader(zeroReader{}, p.add-int64(len(head))))
}

type zeroReader struct{}

func (zeroReader) Read(b []byte) (int, error) {
	clear(b)
	return len(b), nil
}
