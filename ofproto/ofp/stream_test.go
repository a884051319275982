package ofp

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

func TestReadMessage(t *testing.T) {
	hello := []byte{1, 0, 0, 8, 0, 0, 0, 1}
	echo := []byte{4, 2, 0, 12, 0, 0, 0, 2, 'p', 'i', 'n', 'g'}
	tests := []struct {
		name string
		in   []byte
		want [][]byte // messages read before err
		err  error
	}{
		{"empty", nil, nil, io.EOF},
		{"one", hello, [][]byte{hello}, io.EOF},
		{"two", append(append([]byte{}, hello...), echo...), [][]byte{hello, echo}, io.EOF},
		{"short header", hello[:5], nil, io.ErrUnexpectedEOF},
		{"short body", echo[:10], nil, io.ErrUnexpectedEOF},
		{"header only, body missing", echo[:8], nil, io.ErrUnexpectedEOF},
		{"length below header", []byte{1, 0, 0, 7, 0, 0, 0, 1}, nil, ErrFraming},
		{"length zero", []byte{1, 0, 0, 0, 0, 0, 0, 1}, nil, ErrFraming},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := bytes.NewReader(tc.in)
			for i, w := range tc.want {
				got, err := ReadMessage(r)
				if err != nil || !bytes.Equal(got, w) {
					t.Fatalf("message %d: %x, %v; want %x", i, got, err, w)
				}
			}
			if got, err := ReadMessage(r); !errors.Is(err, tc.err) {
				t.Fatalf("after %d messages: %x, %v; want error %v", len(tc.want), got, err, tc.err)
			}
		})
	}
}

// FuzzReadMessage frames arbitrary streams: every message read has the
// length its header gives (at least a header), the messages and what is
// left add up to the input, and it never panics.
func FuzzReadMessage(f *testing.F) {
	f.Add([]byte{1, 0, 0, 8, 0, 0, 0, 1, 4, 2, 0, 12, 0, 0, 0, 2, 'p', 'i', 'n', 'g'})
	f.Add([]byte{1, 0, 0, 7, 0, 0, 0, 1})
	f.Add([]byte{1, 0, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, in []byte) {
		r := bytes.NewReader(in)
		read := 0
		for {
			b, err := ReadMessage(r)
			if err != nil {
				if err == io.EOF && read != len(in) {
					t.Fatalf("io.EOF after %d of %d bytes", read, len(in))
				}
				return
			}
			if n, _ := ReadLength(b); n != len(b) || n < HeaderLen {
				t.Fatalf("message of %d bytes says %d", len(b), n)
			}
			if !bytes.Equal(b, in[read:read+len(b)]) {
				t.Fatalf("message at %d is not the input's bytes", read)
			}
			read += len(b)
		}
	})
}
