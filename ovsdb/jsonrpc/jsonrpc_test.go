package jsonrpc

import (
	"bytes"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

// oneByteReader returns input one byte at a time to exercise refills.
type oneByteReader struct{ r io.Reader }

func (o oneByteReader) Read(p []byte) (int, error) {
	if len(p) > 1 {
		p = p[:1]
	}
	return o.r.Read(p)
}

func TestDecoderFraming(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
		err  string
	}{
		{"concatenated", `{"a":1}{"b":[2]}`, []string{`{"a":1}`, `{"b":[2]}`}, "EOF"},
		{"whitespace", " \n{\"a\":1}\r\n\t{}", []string{`{"a":1}`, `{}`}, "EOF"},
		{"braces in strings", `{"a":"}{\"]"}{"b":"\\"}`, []string{`{"a":"}{\"]"}`, `{"b":"\\"}`}, "EOF"},
		{"nested", `{"a":{"b":[{"c":[]}]}}`, []string{`{"a":{"b":[{"c":[]}]}}`}, "EOF"},
		{"garbage", `xyz`, nil, "syntax error"},
		{"truncated", `{"a":`, nil, "unexpected EOF"},
		{"array message", `[1,2]`, []string{`[1,2]`}, "EOF"},
	}
	for _, tc := range tests {
		for _, slow := range []bool{false, true} {
			t.Run(tc.name, func(t *testing.T) {
				var r io.Reader = strings.NewReader(tc.in)
				if slow {
					r = oneByteReader{r}
				}
				d := NewDecoder(r, 0)
				var got []string
				var err error
				for {
					var b []byte
					b, err = d.Next()
					if err != nil {
						break
					}
					got = append(got, string(b))
				}
				if strings.Join(got, "|") != strings.Join(tc.want, "|") {
					t.Fatalf("got %q want %q", got, tc.want)
				}
				if !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err %v, want %q", err, tc.err)
				}
			})
		}
	}
}

func TestDecoderTooLarge(t *testing.T) {
	const limit = 1024
	big := `{"a":"` + strings.Repeat("x", 10*limit) + `"}`
	d := NewDecoder(strings.NewReader(`{"ok":1}`+big), limit)
	if b, err := d.Next(); err != nil || string(b) != `{"ok":1}` {
		t.Fatalf("first message: %q %v", b, err)
	}
	if _, err := d.Next(); !errors.Is(err, ErrMessageTooLarge) {
		t.Fatalf("want ErrMessageTooLarge, got %v", err)
	}
}

func TestParseAndEncode(t *testing.T) {
	tests := []struct {
		name             string
		msg              *Message
		req, notif, resp bool
		wire             string
	}{
		{"request", mustReq(t), true, false, false, `{"id":1,"method":"echo","params":[]}`},
		{"notification", mustNotif(t), false, true, false, `{"id":null,"method":"update","params":["x",{}]}`},
		{"response", mustResp(t), false, false, true, `{"id":1,"result":{"a":1},"error":null}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := tc.msg.encode()
			if err != nil || string(b) != tc.wire {
				t.Fatalf("encode %s %v", b, err)
			}
			m, err := Parse(b)
			if err != nil {
				t.Fatal(err)
			}
			if m.IsRequest() != tc.req || m.IsNotification() != tc.notif || m.IsResponse() != tc.resp {
				t.Fatalf("classification wrong for %s", b)
			}
		})
	}
	for _, bad := range []string{`{}`, `{"method":"x","params":{}}`, `[1]`, `{"id":`} {
		if _, err := Parse([]byte(bad)); err == nil {
			t.Errorf("Parse(%s) succeeded", bad)
		}
	}
}

func mustReq(t *testing.T) *Message {
	m, err := NewRequest(1, "echo", []any{})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func mustNotif(t *testing.T) *Message {
	m, err := NewNotification("update", []any{"x", map[string]any{}})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func mustResp(t *testing.T) *Message {
	m, err := NewResponse([]byte("1"), map[string]int{"a": 1})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestConnRoundTrip(t *testing.T) {
	a, b := net.Pipe()
	ca, cb := NewConn(a, Options{}), NewConn(b, Options{})
	t.Cleanup(func() { ca.Close(); cb.Close() })
	if err := ca.Send(mustReq(t)); err != nil {
		t.Fatal(err)
	}
	m, err := cb.Receive()
	if err != nil || m.Method != "echo" {
		t.Fatalf("%v %v", m, err)
	}
}

// TestSlowReaderDisconnected: a peer that never reads fills the bounded
// queue and gets disconnected; Send never blocks.
func TestSlowReaderDisconnected(t *testing.T) {
	a, b := net.Pipe() // unbuffered: writes block until the peer reads
	defer b.Close()
	c := NewConn(a, Options{MaxQueuedMessages: 4, WriteTimeout: 50 * time.Millisecond})
	defer c.Close()
	start := time.Now()
	var err error
	for i := 0; i < 100 && err == nil; i++ {
		err = c.Send(mustNotif(t))
	}
	if !errors.Is(err, ErrQueueFull) && !errors.Is(err, ErrClosed) {
		t.Fatalf("want queue full, got %v", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Fatal("Send blocked")
	}
	select {
	case <-c.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("connection not closed")
	}
}

func FuzzDecoder(f *testing.F) {
	for _, s := range []string{`{"id":1,"method":"echo","params":[]}`, `{"a":"\"}"}{}`, `[[[`, `}`, "\x00\xff", `{"id":null,"method":"update","params":[1]}{"id":1,"result":[],"error":null}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		const limit = 256
		d := NewDecoder(bytes.NewReader(in), limit)
		total := 0
		for {
			b, err := d.Next()
			if err != nil {
				break
			}
			if len(b) > limit {
				t.Fatalf("message of %d bytes exceeds limit", len(b))
			}
			if b[0] != '{' && b[0] != '[' {
				t.Fatalf("frame starts with %q", b[0])
			}
			total += len(b)
			if total > len(in) {
				t.Fatal("decoded more than the input")
			}
			_, _ = Parse(b)
		}
	})
}
