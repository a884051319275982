package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

const (
	// readyFD is the descriptor of the child's readiness pipe (ExtraFiles[0]).
	readyFD = 3
	// readyTimeout bounds the parent's wait for the child.
	readyTimeout = 60 * time.Second
	readyOK      = "ok"
)

// detach re-executes the program in a new session with stdio on
// /dev/null and waits for the child to report that it serves (or why it
// failed), as OVS's daemonize_start/daemonize_complete.
func detach() error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	r, w, err := os.Pipe()
	if err != nil {
		return err
	}
	defer r.Close()
	devnull, err := os.OpenFile(os.DevNull, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer devnull.Close()
	cmd := exec.Command(exe, os.Args[1:]...)
	cmd.Env = append(os.Environ(), envDetached+"=1")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = devnull, devnull, devnull
	cmd.ExtraFiles = []*os.File{w}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := cmd.Start(); err != nil {
		w.Close()
		return err
	}
	w.Close()
	_ = r.SetReadDeadline(time.Now().Add(readyTimeout))
	line, err := bufio.NewReader(r).ReadString('\n')
	line = strings.TrimSpace(line)
	if line == readyOK {
		return cmd.Process.Release()
	}
	if line != "" {
		return errors.New(line)
	}
	return fmt.Errorf("background process did not start: %v", err)
}

// readyDone records that fd readyFD was consumed (it may be reused after).
var readyDone bool

// detachedReady tells the parent that the child serves.
func detachedReady() {
	if readyDone {
		return
	}
	readyDone = true
	f := os.NewFile(readyFD, "ready")
	if f == nil {
		return
	}
	_, _ = f.WriteString(readyOK + "\n")
	_ = f.Close()
}

// detachedFailed tells the parent why the child failed.
func detachedFailed(err error) {
	if readyDone {
		return
	}
	readyDone = true
	f := os.NewFile(readyFD, "ready")
	if f == nil {
		return
	}
	_, _ = f.WriteString(strings.ReplaceAll(err.Error(), "\n", " ") + "\n")
	_ = f.Close()
}
