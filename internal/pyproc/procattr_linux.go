package pyproc

import "syscall"

// procAttr puts the peer in its own process group (a terminal's ^C reaches
// only the test) and has the kernel kill it if the test process dies before
// its cleanup runs (a test binary's timeout panics past t.Cleanup).
func procAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
