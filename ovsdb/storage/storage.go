package storage

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"sync"

	"govs/ovsdb/db"
)

// File layout constants.
const (
	FileName      = "conf.db"
	tmpSuffix     = ".tmp"
	magic         = "GOVSDB1\n"
	headerLen     = 8 // length + crc
	lenOff        = 0
	crcOff        = 4
	maxRecordSize = 256 << 20
	filePerm      = 0o600
	// CompactThreshold is how many bytes of transaction records beyond
	// the last snapshot trigger compaction.
	CompactThreshold = 8 << 20
	queueLimit       = 1024
)

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// ErrClosed is returned by waits after Close.
var ErrClosed = errors.New("storage: closed")

type pending struct {
	rec  []byte
	done chan error
}

// Log is the durable log of one database; it implements db.Log.
type Log struct {
	path string
	d    *db.DB
	f    *os.File

	mu struct {
		sync.Mutex
		queue  []pending // guarded by mu
		closed bool      // guarded by mu
	}
	wake     chan struct{}
	stopped  chan struct{}
	size     int64 // writer goroutine only
	snapSize int64 // writer goroutine only
}

// Open loads (or creates) dir/conf.db into d, which must be empty and
// not yet serving, attaches the log to d and starts the writer.
func Open(dir string, d *db.DB) (*Log, error) {
	path := filepath.Join(dir, FileName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, filePerm)
	if err != nil {
		return nil, err
	}
	l := &Log{path: path, d: d, f: f, wake: make(chan struct{}, 1), stopped: make(chan struct{})}
	good, n, err := load(f, d)
	if err != nil {
		f.Close()
		return nil, err
	}
	if n == 0 {
		// New (or entirely torn) file: start with a snapshot.
		if err := l.compact(); err != nil {
			f.Close()
			return nil, err
		}
	} else {
		if err := f.Truncate(good); err != nil {
			f.Close()
			return nil, err
		}
		if _, err := f.Seek(good, io.SeekStart); err != nil {
			f.Close()
			return nil, err
		}
		l.size, l.snapSize = good, good
	}
	d.SetLog(l)
	go l.writer()
	return l, nil
}

// load replays every good record and returns the offset after the last
// good one and the number of records.
func load(f *os.File, d *db.DB) (int64, int, error) {
	r := bufio.NewReader(f)
	var m [len(magic)]byte
	if _, err := io.ReadFull(r, m[:]); err != nil {
		return 0, 0, nil
	}
	if string(m[:]) != magic {
		return 0, 0, fmt.Errorf("storage: %s is not a govs database (bad magic; ovsdb-tool files are not supported)", f.Name())
	}
	off := int64(len(magic))
	n := 0
	var hdr [headerLen]byte
	for {
		if _, err := io.ReadFull(r, hdr[:]); err != nil {
			return off, n, nil
		}
		size := binary.BigEndian.Uint32(hdr[lenOff:])
		sum := binary.BigEndian.Uint32(hdr[crcOff:])
		if size > maxRecordSize {
			return off, n, nil
		}
		payload := make([]byte, size)
		if _, err := io.ReadFull(r, payload); err != nil {
			return off, n, nil
		}
		if crc32.Checksum(payload, crcTable) != sum {
			return off, n, nil
		}
		if err := d.Replay(payload); err != nil {
			return 0, 0, fmt.Errorf("storage: record at offset %d: %w", off, err)
		}
		off += headerLen + int64(size)
		n++
	}
}

func frame(rec []byte) []byte {
	b := make([]byte, headerLen+len(rec))
	binary.BigEndian.PutUint32(b[lenOff:], uint32(len(rec)))
	binary.BigEndian.PutUint32(b[crcOff:], crc32.Checksum(rec, crcTable))
	copy(b[headerLen:], rec)
	return b
}

// Append implements db.Log.
func (l *Log) Append(rec []byte) func() error {
	done := make(chan error, 1)
	l.mu.Lock()
	if l.mu.closed {
		l.mu.Unlock()
		return func() error { return ErrClosed }
	}
	l.mu.queue = append(l.mu.queue, pending{rec: rec, done: done})
	l.mu.Unlock()
	select {
	case l.wake <- struct{}{}:
	default:
	}
	return func() error { return <-done }
}

func (l *Log) writer() {
	defer close(l.stopped)
	for range l.wake {
		l.flush()
		l.mu.Lock()
		closed := l.mu.closed
		l.mu.Unlock()
		if closed {
			// No Append can queue after closed is set: one last flush
			// acknowledges everything.
			l.flush()
			return
		}
	}
}

// flush writes queued records until the queue is empty.
func (l *Log) flush() {
	for {
		l.mu.Lock()
		batch := l.mu.queue
		l.mu.queue = nil
		l.mu.Unlock()
		if len(batch) == 0 {
			return
		}
		err := l.writeBatch(batch)
		for _, p := range batch {
			p.done <- err
		}
	}
}

func (l *Log) writeBatch(batch []pending) error {
	var buf []byte
	force := false
	for _, p := range batch {
		if p.rec == nil {
			force = true // a Compact request
			continue
		}
		if len(p.rec) > maxRecordSize {
			return fmt.Errorf("storage: record of %d bytes exceeds %d", len(p.rec), maxRecordSize)
		}
		buf = append(buf, frame(p.rec)...)
	}
	if len(buf) > 0 {
		if _, err := l.f.Write(buf); err != nil {
			return err
		}
		if err := l.f.Sync(); err != nil {
			return err
		}
		l.size += int64(len(buf))
	}
	if force || l.size-l.snapSize > CompactThreshold {
		return l.compact()
	}
	return nil
}

// compact replaces the file with magic + one snapshot record.
func (l *Log) compact() error {
	snap, err := l.d.Snapshot()
	if err != nil {
		return err
	}
	tmp := l.path + tmpSuffix
	tf, err := os.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_TRUNC, filePerm)
	if err != nil {
		return err
	}
	data := append([]byte(magic), frame(snap)...)
	if _, err := tf.Write(data); err != nil {
		tf.Close()
		return err
	}
	if err := tf.Sync(); err != nil {
		tf.Close()
		return err
	}
	if err := os.Rename(tmp, l.path); err != nil {
		tf.Close()
		return err
	}
	if dir, err := os.Open(filepath.Dir(l.path)); err == nil {
		_ = dir.Sync()
		dir.Close()
	}
	old := l.f
	l.f = tf
	if old != nil {
		old.Close()
	}
	l.size = int64(len(data))
	l.snapSize = l.size
	return nil
}

// Compact forces a compaction now (waits for queued records first).
func (l *Log) Compact() error {
	done := make(chan error, 1)
	l.mu.Lock()
	l.mu.queue = append(l.mu.queue, pending{rec: nil, done: done})
	l.mu.Unlock()
	select {
	case l.wake <- struct{}{}:
	default:
	}
	return <-done
}

// Close flushes queued records and closes the file.
func (l *Log) Close() error {
	l.mu.Lock()
	if l.mu.closed {
		l.mu.Unlock()
		return nil
	}
	l.mu.closed = true
	l.mu.Unlock()
	select {
	case l.wake <- struct{}{}:
	default:
	}
	<-l.stopped
	return l.f.Close()
}
