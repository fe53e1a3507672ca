//go:build !linux

package pyproc

import "syscall"

// procAttr puts the peer in its own process group.
func procAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setpgid: true} }
