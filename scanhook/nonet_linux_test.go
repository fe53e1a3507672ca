//go:build linux && (amd64 || arm64)

package scanhook

// Proof that the pipeline opens no network connection.
//
// Why this shape: internal/archtest forbids net, net/http, crypto/tls and
// friends in scanhook, but an import rule cannot see a dependency (or the
// standard library) that dials on its own. Counting sockets in /proc/self/fd
// before and after misses one opened and closed in between, and a net.Dialer
// hook covers only code that uses that dialer. So the test re-executes its
// own binary and, in the child, installs a seccomp filter on every thread
// that KILLS the process on socket(2), socketpair(2) and io_uring_setup(2),
// the only ways a process without inherited sockets can get one. The child
// then runs the whole pipeline in every mode, with every kind of part, the
// consent dialog and the report sink. If anything in it asked the kernel for
// a socket, the child dies of SIGSYS and the test fails. A canary child that
// does call socket(2) proves the filter works.

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/candor-xmpp/candor/internal/testenv"
)

const (
	nonetChildEnv = "CANDOR_SCANHOOK_NONET_CHILD"
	nonetMarker   = "NONET-CHILD-FINISHED"
)

func TestPipelineOpensNoSocket(t *testing.T) {
	switch os.Getenv(nonetChildEnv) {
	case "pipeline":
		denySockets(t)
		runEveryMode(t)
		os.Stdout.WriteString(nonetMarker + "\n")
		return
	case "canary":
		denySockets(t)
		fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM, 0)
		t.Fatalf("socket(2) returned %d, %v under the filter", fd, err)
		return
	}

	// The canary must die of SIGSYS: otherwise the filter proves nothing.
	out, err := runChild(t, "canary")
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		t.Fatalf("canary: %v\n%s", err, out)
	}
	ws, ok := exit.Sys().(syscall.WaitStatus)
	if !ok || !ws.Signaled() || ws.Signal() != syscall.SIGSYS {
		if strings.Contains(out, "seccomp unavailable") {
			testenv.Skip(t, "seccomp filters are not available here: "+out)
		}
		t.Fatalf("canary was not killed by SIGSYS (%v):\n%s", err, out)
	}

	out, err = runChild(t, "pipeline")
	if err != nil || !strings.Contains(out, nonetMarker) {
		t.Fatalf("the pipeline under the no-socket filter: %v\n%s", err, out)
	}
}

func runChild(t *testing.T, mode string) (string, error) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestPipelineOpensNoSocket$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), nonetChildEnv+"="+mode, "CANDOR_INTEGRATION=")
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// denySockets installs the seccomp filter on every thread of the process.
func denySockets(t *testing.T) {
	var arch uint32
	switch runtime.GOARCH {
	case "amd64":
		arch = unix.AUDIT_ARCH_X86_64
	case "arm64":
		arch = unix.AUDIT_ARCH_AARCH64
	}
	const (
		ldAbs = unix.BPF_LD | unix.BPF_W | unix.BPF_ABS
		jeq   = unix.BPF_JMP | unix.BPF_JEQ | unix.BPF_K
		jge   = unix.BPF_JMP | unix.BPF_JGE | unix.BPF_K
		ret   = unix.BPF_RET | unix.BPF_K
	)
	filter := []unix.SockFilter{
		{Code: ldAbs, K: 4},                            // 0: seccomp_data.arch
		{Code: jeq, K: arch, Jt: 0, Jf: 6},             // 1: another ABI: kill
		{Code: ldAbs, K: 0},                            // 2: seccomp_data.nr
		{Code: jge, K: 0x40000000, Jt: 4, Jf: 0},       // 3: x32 syscalls: kill
		{Code: jeq, K: unix.SYS_SOCKET, Jt: 3},         // 4
		{Code: jeq, K: unix.SYS_SOCKETPAIR, Jt: 2},     // 5
		{Code: jeq, K: unix.SYS_IO_URING_SETUP, Jt: 1}, // 6
		{Code: ret, K: unix.SECCOMP_RET_ALLOW},         // 7
		{Code: ret, K: unix.SECCOMP_RET_KILL_PROCESS},  // 8
	}
	runtime.LockOSThread()
	if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
		t.Fatalf("seccomp unavailable: no_new_privs: %v", err)
	}
	prog := unix.SockFprog{Len: uint16(len(filter)), Filter: &filter[0]}
	if _, _, errno := unix.Syscall(unix.SYS_SECCOMP, unix.SECCOMP_SET_MODE_FILTER,
		unix.SECCOMP_FILTER_FLAG_TSYNC, uintptr(unsafe.Pointer(&prog))); errno != 0 {
		t.Fatalf("seccomp unavailable: %v", errno)
	}
}

// runEveryMode sends a message with every kind of part through the
// pipeline in every mode, in plaintext and OMEMO chats, with consent asked
// and answered and reports written to a sink.
func runEveryMode(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sink, err := NewFileSink(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	store := NewMemoryConsentStore()
	asker := NewAsker(store, nil)
	reqs := asker.Subscribe(ctx)
	go func() {
		for r := range reqs {
			_ = asker.Resolve(ctx, r.ID, true)
		}
	}()
	msgs := func(e2ee bool) Message {
		m := standardMessage(t, e2ee)
		m.Body += " aesgcm://share.example/upload/demo-listed.jpg#00112233 www.example.org"
		m.Attachments = append(m.Attachments,
			attach("anim.gif", animatedGIF(t, 3)),
			attach("clip.mp4", []byte("\x00\x00\x00\x18ftypisom\x00\x00\x02\x00")),
			Attachment{Name: "doc.pdf", Open: attach("", []byte("%PDF-1.4")).Open,
				Thumbnails: []string{dataURI("image/png", encodePNG(t, pattern(7, 32, 32)))}})
		return m
	}
	for _, name := range ModeNames() {
		s := DefaultSettings().WithMode(name)
		s.Dihedral = true
		p := newTestPipeline(t, s, Options{Sink: sink, Asker: asker, Consent: store})
		for _, e2ee := range []bool{false, true} {
			res, err := p.Check(ctx, msgs(e2ee))
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if len(res.Parts) == 0 {
				t.Fatalf("%s: no parts", name)
			}
		}
	}
	if _, err := BaseRate(DefaultBaseRate()); err != nil {
		t.Fatal(err)
	}
}
