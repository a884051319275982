package main

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// lockFile takes a non-blocking exclusive fcntl (POSIX) write lock on f,
// as OVS locks pidfiles and database lockfiles. ovs-appctl finds the
// daemon's pid by asking who holds the pidfile lock (F_GETLK), so the
// lock must be held for the daemon's lifetime.
func lockFile(f *os.File) error {
	lk := unix.Flock_t{Type: unix.F_WRLCK, Whence: io.SeekStart}
	return unix.FcntlFlock(f.Fd(), unix.F_SETLK, &lk)
}

// lockHolder returns the pid holding a write lock on path (0 if none).
func lockHolder(path string) int {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	lk := unix.Flock_t{Type: unix.F_WRLCK, Whence: io.SeekStart}
	if err := unix.FcntlFlock(f.Fd(), unix.F_GETLK, &lk); err != nil || lk.Type == unix.F_UNLCK {
		return 0
	}
	return int(lk.Pid)
}

// createPidfile writes our pid to path through <path>.tmp, locked before
// the rename (as OVS's make_pidfile), and returns the open, locked file:
// close it only after removing path at exit.
func createPidfile(path string) (*os.File, error) {
	if pid := lockHolder(path); pid != 0 && pid != os.Getpid() {
		return nil, fmt.Errorf("%s: already running as pid %d, aborting", path, pid)
	}
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, filePerm)
	if err != nil {
		return nil, fmt.Errorf("%s: create failed: %w", tmp, err)
	}
	if err := lockFile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: fcntl(F_SETLK) failed (%s)", tmp, strerror(err))
	}
	if _, err := f.WriteString(strconv.Itoa(os.Getpid()) + "\n"); err != nil {
		f.Close()
		return nil, err
	}
	if err := os.Rename(tmp, path); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// lockDBDir locks <dbdir>/.conf.db.~lock~ so two daemons never share one
// conf.db (ovsdb-server's lockfile convention).
func lockDBDir(dbdir, dbfile string) (*os.File, error) {
	path := dbdir + "/." + dbfile + ".~lock~"
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, filePerm)
	if err != nil {
		return nil, err
	}
	if err := lockFile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("%s/%s: failed to lock lockfile (%s)", dbdir, dbfile, strerror(err))
	}
	return f, nil
}

// strerror renders an errno as C's strerror (capitalised).
func strerror(err error) string {
	s := err.Error()
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
