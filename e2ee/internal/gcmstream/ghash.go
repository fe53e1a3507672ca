package gcmstream

import (
	"crypto/cipher"
	"encoding/binary"
)

// element is a GF(2^128) element in GCM's bit order: hi holds bytes 0-7
// big-endian, and bit 0 of the field element is the top bit of hi.
type element struct{ hi, lo uint64 }

func load(b []byte) element {
	return element{binary.BigEndian.Uint64(b[:8]), binary.BigEndian.Uint64(b[8:16])}
}

func (e element) store(b []byte) {
	binary.BigEndian.PutUint64(b[:8], e.hi)
	binary.BigEndian.PutUint64(b[8:16], e.lo)
}

func (e element) xor(f element) element { return element{e.hi ^ f.hi, e.lo ^ f.lo} }

// mul is multiplication in GCM's field (NIST SP 800-38D, Algorithm 1), in
// constant time: no branch or memory access depends on x or y. It is slow
// (128 rounds), which is fine for the handful of products per 64 KiB chunk
// that the streaming GHASH below needs.
func mul(x, y element) element {
	var z element
	v := y
	for i := 0; i < 128; i++ {
		var bit uint64
		if i < 64 {
			bit = x.hi >> (63 - i) & 1
		} else {
			bit = x.lo >> (127 - i) & 1
		}
		m := -bit
		z.hi ^= v.hi & m
		z.lo ^= v.lo & m
		lsb := v.lo & 1
		v.lo = v.lo>>1 | v.hi<<63
		v.hi = v.hi>>1 ^ 0xe1<<56&-lsb
	}
	return z
}

// pow is h^k by square and multiply. k is public (a chunk length).
func pow(h element, k uint64) element {
	r := element{hi: 1 << 63} // the field's 1
	for ; k > 0; k >>= 1 {
		if k&1 == 1 {
			r = mul(r, h)
		}
		h = mul(h, h)
	}
	return r
}

// lengthBlock is [a]_64 ‖ [c]_64, lengths in bits.
func lengthBlock(aadBytes, ctBytes uint64) element {
	return element{aadBytes * 8, ctBytes * 8}
}

// ghash is GHASH over data that may be long, computed in constant memory
// with the standard library's GCM (which uses carry-less multiplication
// instructions where the CPU has them) doing the bulk of the work.
//
// GHASH is linear. For a chunk C of k blocks, sealing an empty message
// with C as additional data under the same key and a fixed nonce gives
//
//	tag = E(J0') ⊕ GHASH(C ‖ [len C]_64 ‖ 0_64) = E(J0') ⊕ G(C)·H ⊕ L·H
//
// where G(C) is GHASH's running value after C's blocks. So G(C)·H is the
// tag with E(J0') and L·H removed. Over a stream of chunks, the running
// value Y obeys Y' = Y·H^k ⊕ G(C); we keep Z = Y·H, for which
// Z' = Z·H^k ⊕ G(C)·H, and the final GHASH(stream ‖ lengths) = Z ⊕ L·H.
// Each chunk costs one GCM call plus two or three constant-time products.
type ghash struct {
	aux     cipher.AEAD
	auxMask element // E(J0') for the all-zero 12-byte nonce
	h       element
	hChunk  element // H^(chunkSize/16)
	lhChunk element // [chunkSize]_64 ‖ 0 times H
	z       element
	n       uint64 // bytes hashed
	buf     []byte // a partial chunk
	tmp     []byte
}

const chunkSize = 64 << 10

func newGHASH(aux cipher.AEAD, auxMask, h element) *ghash {
	return &ghash{aux: aux, auxMask: auxMask, h: h,
		hChunk:  pow(h, chunkSize/16),
		lhChunk: mul(lengthBlock(chunkSize, 0), h),
		buf:     make([]byte, 0, chunkSize), tmp: make([]byte, 0, 16)}
}

var zeroNonce = make([]byte, 12)

// chunk hashes one whole chunk, or the last, shorter one.
func (g *ghash) chunk(c []byte) {
	t := g.aux.Seal(g.tmp[:0], zeroNonce, nil, c)
	k := uint64(len(c)+15) / 16
	hk, lh := g.hChunk, g.lhChunk
	if len(c) != chunkSize {
		hk, lh = pow(g.h, k), mul(lengthBlock(uint64(len(c)), 0), g.h)
	}
	gh := load(t).xor(g.auxMask).xor(lh)
	g.z = mul(g.z, hk).xor(gh)
	g.n += uint64(len(c))
}

// write hashes ciphertext, in any pieces.
func (g *ghash) write(p []byte) {
	if len(g.buf) > 0 {
		n := copy(g.buf[len(g.buf):chunkSize], p)
		g.buf = g.buf[:len(g.buf)+n]
		p = p[n:]
		if len(g.buf) < chunkSize {
			return
		}
		g.chunk(g.buf)
		g.buf = g.buf[:0]
	}
	for len(p) >= chunkSize {
		g.chunk(p[:chunkSize])
		p = p[chunkSize:]
	}
	g.buf = append(g.buf, p...)
}

// sum is GHASH(ciphertext ‖ [0]_64 ‖ [len]_64), with no additional data.
func (g *ghash) sum() element {
	if len(g.buf) > 0 {
		g.chunk(g.buf)
		g.buf = g.buf[:0]
	}
	return g.z.xor(mul(lengthBlock(0, g.n), g.h))
}

// ghashBlocks is plain GHASH over a few blocks, for a long IV's J0.
func ghashBlocks(h element, data []byte) element {
	var y element
	for len(data) > 0 {
		var blk [16]byte
		n := copy(blk[:], data)
		data = data[n:]
		y = mul(y.xor(load(blk[:])), h)
	}
	return y
}
