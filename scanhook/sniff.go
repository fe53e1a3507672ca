package scanhook

import (
	"bytes"
	"encoding/binary"
)

// Kind is what a file is by its bytes, as far as scanning cares.
type Kind string

const (
	KindImage     Kind = "image"
	KindVideo     Kind = "video"
	KindAudio     Kind = "audio"
	KindDocument  Kind = "document"
	KindArchive   Kind = "archive"
	KindEncrypted Kind = "encrypted"
	KindUnknown   Kind = "unknown"
)

// Sniffed is the result of looking at a file's first bytes.
type Sniffed struct {
	Kind Kind `json:"kind"`
	// Format is the container or codec ("jpeg", "mp4", "zip", ...), "" if unknown.
	Format string `json:"format,omitempty"`
	// MediaType is the IANA type that goes with Format.
	MediaType string `json:"media_type,omitempty"`
}

// magic is one signature at a fixed offset.
type magic struct {
	offset int
	sig    string
	is     Sniffed
}

// magics are checked in order; the first that matches wins. Containers that
// need a closer look (RIFF, ISO BMFF, Ogg, Matroska, MP3 frames) are
// handled in Sniff.
var magics = []magic{
	{0, "\xff\xd8\xff", Sniffed{KindImage, "jpeg", "image/jpeg"}},
	{0, "\x89PNG\r\n\x1a\n", Sniffed{KindImage, "png", "image/png"}},
	{0, "GIF87a", Sniffed{KindImage, "gif", "image/gif"}},
	{0, "GIF89a", Sniffed{KindImage, "gif", "image/gif"}},
	{0, "II*\x00", Sniffed{KindImage, "tiff", "image/tiff"}},
	{0, "MM\x00*", Sniffed{KindImage, "tiff", "image/tiff"}},
	{0, "\x00\x00\x01\x00", Sniffed{KindImage, "ico", "image/vnd.microsoft.icon"}},
	{0, "FLV\x01", Sniffed{KindVideo, "flv", "video/x-flv"}},
	{0, "\x00\x00\x01\xba", Sniffed{KindVideo, "mpeg-ps", "video/mpeg"}},
	{0, "\x00\x00\x01\xb3", Sniffed{KindVideo, "mpeg", "video/mpeg"}},
	{0, "fLaC", Sniffed{KindAudio, "flac", "audio/flac"}},
	{0, "ID3", Sniffed{KindAudio, "mp3", "audio/mpeg"}},
	{0, "#!AMR", Sniffed{KindAudio, "amr", "audio/amr"}},
	{0, "%PDF-", Sniffed{KindDocument, "pdf", "application/pdf"}},
	{0, "PK\x03\x04", Sniffed{KindArchive, "zip", "application/zip"}},
	{0, "PK\x05\x06", Sniffed{KindArchive, "zip", "application/zip"}},
	{0, "\x1f\x8b", Sniffed{KindArchive, "gzip", "application/gzip"}},
	{0, "7z\xbc\xaf\x27\x1c", Sniffed{KindArchive, "7z", "application/x-7z-compressed"}},
	{0, "Rar!\x1a\x07", Sniffed{KindArchive, "rar", "application/vnd.rar"}},
	{0, "\xfd7zXZ\x00", Sniffed{KindArchive, "xz", "application/x-xz"}},
	{0, "\x28\xb5\x2f\xfd", Sniffed{KindArchive, "zstd", "application/zstd"}},
	{0, "BZh", Sniffed{KindArchive, "bzip2", "application/x-bzip2"}},
	{257, "ustar", Sniffed{KindArchive, "tar", "application/x-tar"}},
	{0, "age-encryption.org/v1\n", Sniffed{KindEncrypted, "age", "application/octet-stream"}},
	{0, "-----BEGIN AGE ENCRYPTED FILE-----", Sniffed{KindEncrypted, "age-armor", "application/octet-stream"}},
	{0, "-----BEGIN PGP MESSAGE-----", Sniffed{KindEncrypted, "openpgp-armor", "application/pgp-encrypted"}},
}

// Sniff decides what a file is from its first bytes. Names and declared
// types are never consulted: renaming a photo to .bin changes nothing here.
func Sniff(b []byte) Sniffed {
	for _, m := range magics {
		if len(b) >= m.offset+len(m.sig) && string(b[m.offset:m.offset+len(m.sig)]) == m.sig {
			return m.is
		}
	}
	switch {
	case len(b) >= 12 && string(b[0:4]) == "RIFF":
		return sniffRIFF(string(b[8:12]))
	case len(b) >= 12 && string(b[4:8]) == "ftyp":
		return sniffFtyp(string(b[8:12]))
	case len(b) >= 4 && string(b[0:4]) == "OggS":
		return sniffOgg(b)
	case len(b) >= 4 && string(b[0:4]) == "\x1a\x45\xdf\xa3":
		if bytes.Contains(b[:min(len(b), 64)], []byte("webm")) {
			return Sniffed{KindVideo, "webm", "video/webm"}
		}
		return Sniffed{KindVideo, "matroska", "video/x-matroska"}
	case len(b) >= 26 && string(b[0:2]) == "BM" && isBMPHeaderSize(binary.LittleEndian.Uint32(b[14:18])):
		return Sniffed{KindImage, "bmp", "image/bmp"}
	case len(b) >= 4 && b[0] == 0xff && b[1]&0xf6 == 0xf0:
		return Sniffed{KindAudio, "aac", "audio/aac"} // ADTS: sync, layer 00
	case len(b) >= 4 && b[0] == 0xff && b[1]&0xe0 == 0xe0 && b[1]&0x06 != 0 && b[2]&0xf0 != 0xf0:
		return Sniffed{KindAudio, "mp3", "audio/mpeg"} // MPEG audio frame sync
	}
	return Sniffed{Kind: KindUnknown}
}

func isBMPHeaderSize(n uint32) bool {
	switch n {
	case 12, 40, 52, 56, 64, 108, 124:
		return true
	}
	return false
}

func sniffRIFF(form string) Sniffed {
	switch form {
	case "WEBP":
		return Sniffed{KindImage, "webp", "image/webp"}
	case "AVI ":
		return Sniffed{KindVideo, "avi", "video/x-msvideo"}
	case "WAVE":
		return Sniffed{KindAudio, "wav", "audio/wav"}
	}
	return Sniffed{KindUnknown, "riff", "application/octet-stream"}
}

// sniffFtyp classifies ISO base media files (MP4, QuickTime, HEIF) by their
// major brand.
func sniffFtyp(brand string) Sniffed {
	switch brand {
	case "heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1":
		return Sniffed{KindImage, "heif", "image/heif"}
	case "avif", "avis":
		return Sniffed{KindImage, "avif", "image/avif"}
	case "M4A ", "M4B ", "M4P ", "F4A ", "F4B ":
		return Sniffed{KindAudio, "m4a", "audio/mp4"}
	case "qt  ":
		return Sniffed{KindVideo, "quicktime", "video/quicktime"}
	}
	if brand[:3] == "3gp" || brand[:3] == "3g2" {
		return Sniffed{KindVideo, "3gpp", "video/3gpp"}
	}
	return Sniffed{KindVideo, "mp4", "video/mp4"}
}

// sniffOgg looks at the first packet's codec header.
func sniffOgg(b []byte) Sniffed {
	head := b[:min(len(b), 128)]
	switch {
	case bytes.Contains(head, []byte("theora")):
		return Sniffed{KindVideo, "ogg-theora", "video/ogg"}
	case bytes.Contains(head, []byte("OpusHead")):
		return Sniffed{KindAudio, "ogg-opus", "audio/ogg"}
	case bytes.Contains(head, []byte("vorbis")):
		return Sniffed{KindAudio, "ogg-vorbis", "audio/ogg"}
	}
	return Sniffed{KindAudio, "ogg", "audio/ogg"}
}
