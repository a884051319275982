package jsonrpc

import (
	"bytes"
	"errors"
	"fmt"
	"io"
)

// DefaultMaxMessageSize bounds one JSON-RPC message (ovsdb-server has no
// hard limit but the vswitch database is a few MiB at most).
const DefaultMaxMessageSize = 64 << 20

// readChunk is how much Decoder asks the reader for at a time.
const readChunk = 64 << 10

// ErrMessageTooLarge is returned when a message exceeds the size limit.
var ErrMessageTooLarge = errors.New("jsonrpc: message too large")

// SyntaxError reports bytes that cannot start or continue a message.
type SyntaxError struct {
	Offset int64
	Msg    string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("jsonrpc: syntax error at byte %d: %s", e.Offset, e.Msg)
}

// Decoder splits a byte stream into top-level JSON values.
type Decoder struct {
	r   io.Reader
	max int
	buf []byte // buf[start:end] is unconsumed input
	// scan state for the value being assembled in buf[start:pos]
	start, pos, end int
	depth           int
	inString, esc   bool
	offset          int64 // stream offset of buf[0]
	err             error
}

// NewDecoder returns a Decoder reading from r with a per-message limit of
// max bytes (DefaultMaxMessageSize if max <= 0).
func NewDecoder(r io.Reader, max int) *Decoder {
	if max <= 0 {
		max = DefaultMaxMessageSize
	}
	return &Decoder{r: r, max: max}
}

// Next returns the next top-level JSON value. The returned slice is valid
// only until the next call. Whether the value is well-formed JSON inside is
// left to the caller's json.Unmarshal; Next only finds its boundaries.
func (d *Decoder) Next() ([]byte, error) {
	for {
		if msg, ok, err := d.scan(); err != nil {
			d.err = err
			return nil, err
		} else if ok {
			return msg, nil
		}
		if d.err != nil {
			return nil, d.err
		}
		if d.pos-d.start >= d.max {
			d.err = ErrMessageTooLarge
			return nil, d.err
		}
		if err := d.fill(); err != nil {
			if err == io.EOF && d.depth > 0 {
				err = io.ErrUnexpectedEOF
			}
			d.err = err
			return nil, err
		}
	}
}

// fill reads more input, compacting or growing buf as needed.
func (d *Decoder) fill() error {
	if d.start > 0 {
		n := copy(d.buf, d.buf[d.start:d.end])
		d.offset += int64(d.start)
		d.pos -= d.start
		d.end = n
		d.start = 0
	}
	if len(d.buf)-d.end < readChunk {
		size := 2*len(d.buf) + readChunk
		if limit := d.max + readChunk; size > limit {
			size = limit
		}
		if size > len(d.buf) {
			nb := make([]byte, size)
			copy(nb, d.buf[:d.end])
			d.buf = nb
		}
	}
	if d.end == len(d.buf) {
		return ErrMessageTooLarge
	}
	n, err := d.r.Read(d.buf[d.end:])
	d.end += n
	if n > 0 {
		return nil
	}
	if err == nil {
		err = io.ErrNoProgress
	}
	return err
}

// scan advances pos over buffered input and reports a complete value.
func (d *Decoder) scan() ([]byte, bool, error) {
	for d.pos < d.end {
		if d.pos-d.start >= d.max {
			return nil, false, ErrMessageTooLarge
		}
		if d.inString && !d.esc {
			// Skip string contents in bulk: only '"' and '\' matter.
			lim := min(d.end, d.start+d.max)
			i := bytes.IndexAny(d.buf[d.pos:lim], stringSpecials)
			if i < 0 {
				d.pos = lim
				continue
			}
			d.pos += i
		}
		c := d.buf[d.pos]
		d.pos++
		if d.depth == 0 {
			switch c {
			case ' ', '\t', '\r', '\n':
				d.start = d.pos
				continue
			case '{', '[':
				d.depth = 1
				continue
			default:
				return nil, false, &SyntaxError{Offset: d.offset + int64(d.pos-1), Msg: fmt.Sprintf("unexpected byte %q outside a message", c)}
			}
		}
		if d.inString {
			switch {
			case d.esc:
				d.esc = false
			case c == '\\':
				d.esc = true
			case c == '"':
				d.inString = false
			}
			continue
		}
		switch c {
		case '"':
			d.inString = true
		case '{', '[':
			d.depth++
		case '}', ']':
			d.depth--
			if d.depth == 0 {
				msg := d.buf[d.start:d.pos]
				d.start = d.pos
				return msg, true, nil
			}
		}
	}
	return nil, false, nil
}

// stringSpecials are the bytes that can end or escape inside a string.
const stringSpecials = "\"\\"
