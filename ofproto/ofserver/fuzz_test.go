package ofserver

import (
	"testing"

	"govs/ofproto/ofp"
)

// FuzzHandle feeds one framed message to a negotiated connection: it must
// never panic, whatever the bytes (the seeds are valid requests of every
// kind the server handles, in OpenFlow 1.0 and 1.3).
func FuzzHandle(f *testing.F) {
	for _, v := range []uint8{ofp.Version10, ofp.Version13} {
		for _, b := range seedMessages(f, v) {
			f.Add(v, b)
		}
	}
	f.Add(uint8(ofp.Version10), []byte{1, 0, 0, 8, 0, 0, 0, 1})
	f.Add(uint8(ofp.Version13), []byte{4, 99, 0, 8, 0, 0, 0, 1})
	s := New(newMemSwitch(), Config{Logger: DiscardLogger()})
	defer s.Close()
	conns := map[uint8]*conn{
		ofp.Version10: allocConn(f, s, ofp.Version10),
		ofp.Version13: allocConn(f, s, ofp.Version13),
	}
	f.Fuzz(func(t *testing.T, v uint8, b []byte) {
		c := conns[ofp.Version10]
		if v == ofp.Version13 {
			c = conns[ofp.Version13]
		}
		if len(b) < ofp.HeaderLen {
			return
		}
		// Frame it as ofp.ReadMessage would: the length field is the message size.
		n, _ := ofp.ReadLength(b)
		if n < ofp.HeaderLen || n > len(b) {
			return
		}
		c.handle(append([]byte(nil), b[:n]...))
	})
}

// FuzzParseTarget checks that any target string parses or fails cleanly,
// and that a parsed target round-trips through String.
func FuzzParseTarget(f *testing.F) {
	for _, s := range []string{"punix:/tmp/a.mgmt", "ptcp:6653:127.0.0.1", "ptcp:", "tcp:[::1]:1", "tcp:1.2.3.4", "ssl:x", ":", "ptcp:1:[", "tcp:["} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tg, err := ParseTarget(s)
		if err != nil {
			return
		}
		again, err := ParseTarget(tg.String())
		if err != nil || again != tg {
			t.Fatalf("%q -> %q -> %+v, %v", s, tg.String(), again, err)
		}
	})
}
