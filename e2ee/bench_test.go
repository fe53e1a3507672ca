package e2ee_test

import (
	"context"
	"fmt"
	"github.com/candor-xmpp/candor/internal/pyomemo"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/candor-xmpp/candor/e2ee"
)

// Benchmarks. The message benchmarks run on the memory store; the SQLite
// store has its own in internal/store.

// benchPair is a Candor device writing to nDevices devices of one JID.
func benchPair(b *testing.B, v e2ee.Version, nDevices int) (*world, *device, []*device) {
	b.Helper()
	w := newWorld(b)
	alice := w.add("alice", "alice@x")
	var bobs []*device
	for i := 0; i < nDevices; i++ {
		bobs = append(bobs, w.add(fmt.Sprint("bob", i), "bob@x"))
	}
	w.publish(v)
	w.prepare(alice, v, "bob@x")
	m := alice.send(v, "setup", "bob@x")
	for _, bob := range bobs {
		if out := bob.receive(alice, m, "setup"); out.Reply != nil {
			alice.receiveEmpty(bob, out.Reply)
		}
	}
	return w, alice, bobs
}

func BenchmarkSessionSetup(b *testing.B) {
	for _, v := range e2ee.Versions {
		b.Run(v.String(), func(b *testing.B) {
			ctx := context.Background()
			w := newWorld(b)
			alice, bob := w.add("alice", "alice@x"), w.add("bob", "bob@x")
			w.publish(v)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				// Fetching the bundle is the network's part, not timed.
				b.StopTimer()
				bundle := bundleOf(b, bob, v)
				b.StartTimer()
				// X3DH as initiator, the first message, X3DH as responder and
				// its decryption, and the completion reply.
				if err := alice.m.ProcessBundle(ctx, v, bob.m.Address(), bundle); err != nil {
					b.Fatal(err)
				}
				out := bob.receive(alice, alice.send(v, "hello", bob.jid), "hello")
				alice.receiveEmpty(bob, out.Reply)
			}
		})
	}
}

func BenchmarkEncrypt(b *testing.B) {
	for _, v := range e2ee.Versions {
		b.Run(v.String(), func(b *testing.B) {
			_, alice, _ := benchPair(b, v, 1)
			msg := []byte("a message of typical length, some forty to a hundred bytes long")
			ctx := context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := alice.m.Encrypt(ctx, v, []string{"bob@x"}, msg); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkDecrypt(b *testing.B) {
	for _, v := range e2ee.Versions {
		b.Run(v.String(), func(b *testing.B) {
			_, alice, bobs := benchPair(b, v, 1)
			bob := bobs[0]
			ctx := context.Background()
			const batch = 500 // within the skipped-key window either way
			b.ReportAllocs()
			b.ResetTimer()
			for done := 0; done < b.N; done += batch {
				b.StopTimer()
				ins := make([]*e2ee.Incoming, min(batch, b.N-done))
				for j := range ins {
					ins[j] = bob.incoming(alice, alice.send(v, "a message of typical length, some forty to a hundred bytes long", bob.jid))
				}
				b.StartTimer()
				for _, in := range ins {
					if _, err := bob.m.Decrypt(ctx, in); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

func BenchmarkFanout(b *testing.B) {
	for _, v := range e2ee.Versions {
		for _, n := range []int{1, 10, 100} {
			b.Run(fmt.Sprintf("%v/%d-devices", v, n), func(b *testing.B) {
				_, alice, _ := benchPair(b, v, n)
				ctx := context.Background()
				msg := []byte("one message for every device of the contact")
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					res, err := alice.m.Encrypt(ctx, v, []string{"bob@x"}, msg)
					if err != nil || len(res.Message.Keys) != n {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// zeros is an endless stream of zero bytes: file encryption costs the same
// for any content, and generating random content would dominate.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// peakHeap samples the live heap while f runs and reports the peak and the
// bytes allocated.
func peakHeap(b *testing.B, f func()) {
	b.Helper()
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 { metrics.Read(sample); return sample[0].Value.Uint64() }
	base := read()
	var peak uint64
	var mu sync.Mutex
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if h := read(); h > base {
					mu.Lock()
					peak = max(peak, h-base)
					mu.Unlock()
				}
			}
		}
	}()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	close(done)
	wg.Wait()
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/(1<<10), "alloc-KiB/op")
}

const fileBenchSize = 256 << 20

// BenchmarkFileEncrypt256MiB encrypts a 256 MiB stream to io.Discard.
func BenchmarkFileEncrypt256MiB(b *testing.B) {
	key := fileKey(b, "bench", 12)
	b.SetBytes(fileBenchSize)
	peakHeap(b, func() {
		for i := 0; i < b.N; i++ {
			n, err := e2ee.EncryptFile(io.Discard, io.LimitReader(zeros{}, fileBenchSize), key)
			if err != nil || n != fileBenchSize+e2ee.FileTagSize {
				b.Fatal(n, err)
			}
		}
	})
}

// BenchmarkFileDecrypt256MiB decrypts a 256 MiB upload from disk into a
// file, verifying before the rename (the file is written and synced).
func BenchmarkFileDecrypt256MiB(b *testing.B) {
	key := fileKey(b, "bench", 12)
	dir := b.TempDir()
	src := filepath.Join(dir, "upload")
	f, err := os.Create(src)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := e2ee.EncryptFile(f, io.LimitReader(zeros{}, fileBenchSize), key); err != nil {
		b.Fatal(err)
	}
	f.Close()
	b.SetBytes(fileBenchSize)
	b.ResetTimer()
	peakHeap(b, func() {
		for i := 0; i < b.N; i++ {
			in, err := os.Open(src)
			if err != nil {
				b.Fatal(err)
			}
			n, err := e2ee.DecryptFile(filepath.Join(dir, "plain"), in, key)
			in.Close()
			if err != nil || n != fileBenchSize {
				b.Fatal(n, err)
			}
		}
	})
}

// BenchmarkFileDecryptStream256MiB is the decryption alone: encrypted
// bytes are made on the fly by an encrypter (whose cost is included) and
// the plaintext is discarded. Subtract BenchmarkFileEncrypt256MiB's time
// for decryption's share.
func BenchmarkFileDecryptStream256MiB(b *testing.B) {
	key := fileKey(b, "bench", 12)
	b.SetBytes(fileBenchSize)
	peakHeap(b, func() {
		for i := 0; i < b.N; i++ {
			src, err := e2ee.NewFileEncrypter(io.LimitReader(zeros{}, fileBenchSize), key)
			if err != nil {
				b.Fatal(err)
			}
			n, err := e2ee.DecryptFileStream(io.Discard, src, key)
			if err != nil || n != fileBenchSize {
				b.Fatal(n, err)
			}
		}
	})
}

// BenchmarkVsPython times the same message round trip (encrypt for one
// device, decrypt) in Candor and, in the same run, in python-omemo, and
// reports the ratio.
func BenchmarkVsPython(b *testing.B) {
	p := pyPeer(b)
	pyNsPerOp := map[e2ee.Version]float64{} // measured once, not on every b.N round
	for _, v := range e2ee.Versions {
		b.Run(v.String(), func(b *testing.B) {
			if _, ok := pyNsPerOp[v]; !ok {
				pyNsPerOp[v] = pythonRoundTrip(b, p, v)
			}
			ctx := context.Background()
			_, alice, bobs := benchPair(b, v, 1)
			bob := bobs[0]
			msg := make([]byte, benchMessageSize)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				res, err := alice.m.Encrypt(ctx, v, []string{"bob@x"}, msg)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := bob.m.Decrypt(ctx, bob.incoming(alice, res.Message)); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			goNs := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
			b.ReportMetric(pyNsPerOp[v], "python-ns/op")
			b.ReportMetric(pyNsPerOp[v]/goNs, "times-faster")
		})
	}
}

const benchMessageSize = 64

// pythonRoundTrip is python-omemo's time for one message round trip
// between two of its accounts with a confirmed session.
func pythonRoundTrip(b *testing.B, p *pyomemo.Peer, v e2ee.Version) float64 {
	b.Helper()
	python.n++
	from, err := p.Create(fmt.Sprintf("bench-a%d@x", python.n), false)
	if err != nil {
		b.Fatal(err)
	}
	to, err := p.Create(fmt.Sprintf("bench-b%d@x", python.n), false)
	if err != nil {
		b.Fatal(err)
	}
	m, err := p.Encrypt(from.JID, namespace(v), []string{to.JID}, []byte("setup"))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := p.Decrypt(to.JID, m); err != nil {
		b.Fatal(err)
	}
	out, _ := p.Outbox(to.JID)
	for _, o := range out {
		if _, err := p.Decrypt(from.JID, &o.Message); err != nil {
			b.Fatal(err)
		}
	}
	const n = 200
	secs, err := p.BenchRoundTrip(from.JID, to.JID, namespace(v), n, benchMessageSize)
	if err != nil {
		b.Fatal(err)
	}
	return secs * 1e9 / n
}
