package ofserver

import (
	"encoding/binary"
	"io"
	"math/rand"
	"net"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"govs/flowtable"
	"govs/flowtable/flowsyntax"
	"govs/flowtable/ofpact"
	"govs/ofproto/ofp"
)

// seedMessages returns valid encoded requests of many kinds for version v,
// the raw material of the hostile and fuzz tests.
func seedMessages(t testing.TB, v uint8) [][]byte {
	fm := &ofp.FlowMod{FlowMod: flowsyntax.FlowMod{Command: flowsyntax.CmdAdd, Priority: 100,
		OutPort: flowtable.PortNone, OutGroup: flowsyntax.GroupAny, Flags: flowsyntax.FlagSendFlowRem,
		Actions: []ofpact.Action{&ofpact.Output{Port: 2}, &ofpact.SetEthSrc{MAC: [6]byte{2, 0, 0, 0, 0, 1}}}},
		BufferID: ofp.NoBuffer}
	fm.Match.SetInPort(1)
	fm.Match.SetEthType(0x0800)
	del := &ofp.FlowMod{FlowMod: flowsyntax.FlowMod{Command: flowsyntax.CmdDelete, Table: flowsyntax.TableAll,
		OutPort: flowtable.PortNone, OutGroup: flowsyntax.GroupAny}, BufferID: ofp.NoBuffer}
	msgs := []ofp.Message{
		&ofp.EchoRequest{Data: []byte("ping")},
		&ofp.FeaturesRequest{},
		&ofp.GetConfigRequest{},
		&ofp.SetConfig{SwitchConfig: ofp.SwitchConfig{MissSendLen: 128}},
		&ofp.BarrierRequest{},
		fm, del,
		&ofp.PacketOut{BufferID: ofp.NoBuffer, InPort: flowtable.PortLocal,
			Actions: []ofpact.Action{&ofpact.Output{Port: 1}}, Data: make([]byte, 60)},
		&ofp.PortMod{PortNo: 2, HWAddr: [6]byte{0xaa, 0x55, 0xaa, 0x55, 0, 0x0e}, Config: 1, Mask: 1},
		&ofp.DescRequest{},
		&ofp.FlowStatsRequest{TableID: flowsyntax.TableAll, OutPort: flowtable.PortNone, OutGroup: flowsyntax.GroupAny},
		&ofp.FlowStatsRequest{Aggregate: true, TableID: flowsyntax.TableAll, OutPort: flowtable.PortNone, OutGroup: flowsyntax.GroupAny},
		&ofp.TableStatsRequest{},
		&ofp.PortStatsRequest{PortNo: flowtable.PortNone},
		&ofp.PortDescRequest{},
	}
	if v == ofp.Version10 {
		nfm := *fm
		nfm.Format = ofp.FormatNXM
		msgs = append(msgs, &nfm, &ofp.SetFlowFormat{Format: ofp.FormatNXM}, &ofp.FlowModTableID{Enable: true},
			&ofp.FlowStatsRequest{NX: true, TableID: flowsyntax.TableAll, OutPort: flowtable.PortNone})
	} else {
		msgs = append(msgs, &ofp.TableFeaturesRequest{})
	}
	var out [][]byte
	for i, m := range msgs {
		b, err := ofp.Encode(m, v, uint32(i+1))
		if err != nil {
			t.Fatalf("seed %T: %v", m, err)
		}
		out = append(out, b)
	}
	return out
}

// mutate returns a damaged copy of a seed whose length field still frames
// it (so the connection stays up): random byte flips, truncation, random
// types and versions, or pure noise.
func mutate(r *rand.Rand, seeds [][]byte) []byte {
	b := append([]byte(nil), seeds[r.Intn(len(seeds))]...)
	switch r.Intn(5) {
	case 0: // flip bytes in the body
		for n := r.Intn(4) + 1; n > 0 && len(b) > ofp.HeaderLen; n-- {
			b[ofp.HeaderLen+r.Intn(len(b)-ofp.HeaderLen)] = byte(r.Intn(256))
		}
	case 1: // truncate
		b = b[:ofp.HeaderLen+r.Intn(len(b)-ofp.HeaderLen+1)]
	case 2: // random type
		b[1] = byte(r.Intn(40))
	case 3: // random version
		b[0] = byte(r.Intn(8))
	default: // noise
		b = make([]byte, ofp.HeaderLen+r.Intn(200))
		r.Read(b)
	}
	binary.BigEndian.PutUint16(b[2:], uint16(len(b)))
	return b
}

// TestHostileClient sends 10 000 random and truncated messages while a
// second connection keeps being served, then checks the server survived.
func TestHostileClient(t *testing.T) {
	sw := newMemSwitch()
	srv, dir := startServer(t, sw)
	sock := filepath.Join(dir, "br0.mgmt")
	const total = 10000
	r := rand.New(rand.NewSource(1))
	deadline := time.Now().Add(60 * time.Second)

	good := dial(t, sock, ofp.Version13)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Add(1)
	goodErr := make(chan error, 1)
	go func() {
		defer wg.Done()
		for i := uint32(1); ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			b, _ := ofp.Encode(&ofp.EchoRequest{}, ofp.Version13, i)
			_ = good.nc.SetDeadline(time.Now().Add(ioTimeout))
			if _, err := good.nc.Write(b); err != nil {
				goodErr <- err
				return
			}
			rb, err := ofp.ReadMessage(good.nc)
			if err != nil || rb[1] != ofp.TypeEchoReply {
				goodErr <- err
				return
			}
			time.Sleep(time.Millisecond)
		}
	}()

	sent := 0
	for sent < total && time.Now().Before(deadline) {
		v := ofp.Version10
		if r.Intn(2) == 0 {
			v = ofp.Version13
		}
		nc, err := net.DialTimeout("unix", sock, ioTimeout)
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan struct{})
		go func() { _, _ = io.Copy(io.Discard, nc); close(done) }()
		_ = nc.SetWriteDeadline(time.Now().Add(ioTimeout))
		hello, _ := ofp.Encode(&ofp.Hello{}, v, 1)
		_, _ = nc.Write(hello)
		seeds := seedMessages(t, v)
		for i := 0; i < 500 && sent < total; i++ {
			b := mutate(r, seeds)
			if r.Intn(400) == 0 {
				// Bad framing: OVS (and govs) drop the connection.
				b = []byte{v, 0, 0, 4, 0, 0, 0, 0}
			}
			sent++
			if _, err := nc.Write(b); err != nil {
				break // closed by the server after bad framing
			}
		}
		nc.Close()
		<-done
	}
	close(stop)
	wg.Wait()
	select {
	case err := <-goodErr:
		t.Fatalf("good connection failed: %v", err)
	default:
	}
	if sent < total {
		t.Fatalf("sent %d of %d messages in time", sent, total)
	}
	// The server still answers a new connection.
	c := dial(t, sock, ofp.Version10)
	c.send(&ofp.FeaturesRequest{}, ofp.Version10, 9)
	if m := c.recv(); m.Hdr().Type != ofp.TypeFeaturesReply {
		t.Fatalf("got %T", m)
	}
	if srv.Counters().Errors == 0 {
		t.Fatal("no error replies counted")
	}
}
