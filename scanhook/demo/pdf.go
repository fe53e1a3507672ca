package demo

import (
	"bytes"
	"fmt"
)

// minimalPDF writes a one-page PDF 1.4 showing a JPEG (baseline, RGB) at
// its pixel size: catalog, pages, page, image XObject (/DCTDecode, the
// JPEG bytes as they are), content stream, and a cross-reference table
// with the byte offsets PDF readers need.
func minimalPDF(jpegData []byte, w, h int) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n") // binary marker line, as PDF 1.4 recommends
	content := fmt.Sprintf("q %d 0 0 %d 0 0 cm /Im0 Do Q\n", w, h)
	objects := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>", w, h),
		"", // the image, written below with its binary stream
		fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", len(content), content),
	}
	offsets := make([]int, len(objects))
	for i, obj := range objects {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n", i+1)
		if i == 3 {
			fmt.Fprintf(&b, "<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n", w, h, len(jpegData))
			b.Write(jpegData)
			b.WriteString("\nendstream")
		} else {
			b.WriteString(obj)
		}
		b.WriteString("\nendobj\n")
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off) // each entry exactly 20 bytes
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, xref)
	return b.Bytes()
}
