//go:build integration

package session

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/candor-xmpp/candor/e2ee"
	"github.com/candor-xmpp/candor/internal/prosodytest"
)

// File throughput over loopback against Prosody's http_file_share, for 1
// MiB and 256 MiB: encrypt-and-upload (SendFile, up to the queued message)
// and download-and-decrypt (DownloadFile, up to the verified file in the
// folder), with the peak heap of the whole test process while they run.
// In the same run, encryption alone (e2ee's streaming XEP-0454) against
// the standard library's one-shot AES-256-GCM Seal on the same sizes.
//
//	go test -tags integration -run '^$' -bench FileTransfer -benchtime 3x ./session/
func BenchmarkFileTransfer(b *testing.B) {
	sizes := []struct {
		name string
		n    int64
	}{{"1MiB", 1 << 20}, {"256MiB", 256 << 20}}
	srv := prosodytest.Start(b, prosodytest.UploadLimit(300<<20))
	jid := srv.CreateUser(b, "alice", "pw-a")
	dl := filepath.Join(b.TempDir(), "dl")
	c, err := New(Options{DataDir: b.TempDir(), Files: FileOptions{DownloadDir: dl}})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	rec := record(c)
	if err := c.Login(context.Background(), account(srv, jid, "pw-a")); err != nil {
		b.Fatal(err)
	}
	rec.wait(b, "the catch-up", func(ev Event) bool { _, ok := ev.(ArchiveSynced); return ok })
	st, _ := c.store()

	for _, sz := range sizes {
		src := filepath.Join(b.TempDir(), "file-"+sz.name)
		writeNoise(b, src, sz.n)
		var last Transfer
		b.Run("upload/"+sz.name, func(b *testing.B) {
			b.SetBytes(sz.n)
			peak := watchHeap()
			for b.Loop() {
				tr, err := c.SendFile(context.Background(), FileRequest{To: "bob@localhost", Path: src})
				if err != nil {
					b.Fatal(err)
				}
				if last = waitEnd(b, rec, tr.ID); last.State != TransferFinished {
					b.Fatalf("upload: %+v", last)
				}
			}
			b.ReportMetric(peak()/(1<<20), "peak-heap-MiB")
		})
		b.Run("download/"+sz.name, func(b *testing.B) {
			b.SetBytes(sz.n)
			f, err := st.File(context.Background(), last.MessageID)
			if err != nil {
				b.Fatal(err)
			}
			peak := watchHeap()
			for b.Loop() {
				// Our own upload, fetched back as if someone else sent it.
				f.State, f.LocalPath = int(FileRemote), ""
				if err := st.UpdateFile(context.Background(), f); err != nil {
					b.Fatal(err)
				}
				tr, err := c.DownloadFile(context.Background(), last.MessageID)
				if err != nil {
					b.Fatal(err)
				}
				end := waitEnd(b, rec, tr.ID)
				if end.State != TransferFinished {
					b.Fatalf("download: %+v", end)
				}
				os.Remove(end.Path)
			}
			b.ReportMetric(peak()/(1<<20), "peak-heap-MiB")
		})
		b.Run("encrypt-e2ee-stream/"+sz.name, func(b *testing.B) {
			key, _ := e2ee.NewFileKey(nil)
			b.SetBytes(sz.n)
			peak := watchHeap()
			for b.Loop() {
				f, err := os.Open(src)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := e2ee.EncryptFile(io.Discard, f, key); err != nil {
					b.Fatal(err)
				}
				f.Close()
			}
			b.ReportMetric(peak()/(1<<20), "peak-heap-MiB")
		})
		b.Run("encrypt-stdlib-seal/"+sz.name, func(b *testing.B) {
			key, _ := e2ee.NewFileKey(nil)
			block, _ := aes.NewCipher(key.Key[:])
			gcm, _ := cipher.NewGCM(block)
			plain, err := os.ReadFile(src) // Seal needs it all in memory
			if err != nil {
				b.Fatal(err)
			}
			out := make([]byte, 0, len(plain)+gcm.Overhead())
			b.SetBytes(sz.n)
			peak := watchHeap()
			for b.Loop() {
				out = gcm.Seal(out[:0], key.IV, plain, nil)
			}
			b.ReportMetric(peak()/(1<<20), "peak-heap-MiB")
		})
	}
}

func waitEnd(b *testing.B, rec *recorder, id int64) Transfer {
	b.Helper()
	return rec.wait(b, "the end of the transfer", func(ev Event) bool {
		u, ok := ev.(TransferUpdated)
		return ok && u.Transfer.ID == id && u.Transfer.State.Ended()
	}).(TransferUpdated).Transfer
}

func writeNoise(b *testing.B, path string, n int64) {
	b.Helper()
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if _, err := io.Copy(f, io.LimitReader(rand.NewChaCha8([32]byte{1}), n)); err != nil {
		b.Fatal(err)
	}
}

// watchHeap samples the heap's live objects until the returned function is
// called, which reports the peak in bytes.
func watchHeap() func() float64 {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var mu sync.Mutex
	peak := uint64(0)
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		for {
			metrics.Read(sample)
			mu.Lock()
			peak = max(peak, sample[0].Value.Uint64())
			mu.Unlock()
			select {
			case <-done:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	return func() float64 {
		close(done)
		<-stopped
		mu.Lock()
		defer mu.Unlock()
		return float64(peak)
	}
}
