package flow

import "testing"

// TestSetARP rewrites every ARP field of a request into a reply and
// checks the re-extracted key; a truncated ARP frame is left alone.
func TestSetARP(t *testing.T) {
	var arp, trunc extractCase
	for _, c := range extractCases() {
		switch c.name {
		case "arp-request":
			arp = c
		case "arp-truncated":
			trunc = c
		}
	}
	frame := arp.frame(t)
	p := &Packet{Buf: frame, Len: len(frame)}
	var k Key
	Extract(p.Frame(), 1, &k, &p.L)
	sha, tha := [6]byte{2, 0, 0, 0, 0, 0xfe}, [6]byte{2, 0, 0, 0, 0, 1}
	p.SetARPOp(2)
	p.SetARPSha(sha)
	p.SetARPTha(tha)
	p.SetARPSpa(0xc0a80101)
	p.SetARPTpa(0xc0a8010a)
	var got Key
	Extract(p.Frame(), 1, &got, &p.L)
	want := k
	want.SetNwProto(2)
	want.SetArpSha(sha)
	want.SetArpTha(tha)
	want.SetIPv4Src(0xc0a80101)
	want.SetIPv4Dst(0xc0a8010a)
	if got != want {
		t.Fatalf("key after rewrite\n%v\nwant\n%v", &got, &want)
	}

	f := trunc.frame(t)
	before := append([]byte(nil), f...)
	q := &Packet{Buf: f, Len: len(f)}
	Extract(q.Frame(), 1, &k, &q.L)
	q.SetARPOp(2)
	q.SetARPSha(sha)
	q.SetARPTpa(1)
	if string(f) != string(before) {
		t.Fatalf("truncated ARP frame changed")
	}
}
