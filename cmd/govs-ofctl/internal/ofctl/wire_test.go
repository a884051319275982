package ofctl

import (
	"bytes"
	"io"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"govs/ofproto/ofp"
)

// proxy is a capturing unix-socket proxy in front of the switch: it
// records every message the client sends, per connection, in order.
type proxy struct {
	ln     net.Listener
	target string
	wg     sync.WaitGroup

	mu struct {
		sync.Mutex
		convs [][][]byte // guarded by mu
	}
}

func startProxy(t *testing.T, path, target string) *proxy {
	t.Helper()
	ln, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{ln: ln, target: target}
	p.wg.Add(1)
	go p.accept()
	t.Cleanup(func() {
		ln.Close()
		p.wg.Wait()
	})
	return p
}

func (p *proxy) accept() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		idx := len(p.mu.convs)
		p.mu.convs = append(p.mu.convs, nil)
		p.mu.Unlock()
		p.wg.Add(1)
		go p.serve(c, idx)
	}
}

func (p *proxy) serve(c net.Conn, idx int) {
	defer p.wg.Done()
	defer c.Close()
	up, err := net.Dial("unix", p.target)
	if err != nil {
		return
	}
	defer up.Close()
	done := make(chan struct{})
	go func() {
		io.Copy(c, up)
		c.Close()
		close(done)
	}()
	for {
		m, err := ofp.ReadMessage(c)
		if err != nil {
			break
		}
		p.mu.Lock()
		p.mu.convs[idx] = append(p.mu.convs[idx], m)
		p.mu.Unlock()
		if _, err := up.Write(m); err != nil {
			break
		}
	}
	up.Close()
	<-done
}

// take returns and clears the captured conversations.
func (p *proxy) take() [][][]byte {
	p.mu.Lock()
	defer p.mu.Unlock()
	c := p.mu.convs
	p.mu.convs = nil
	return c
}

// TestWireSequence checks that govs-ofctl sends byte-for-byte the same
// messages, on the same connections in the same order, as ovs-ofctl.
func TestWireSequence(t *testing.T) {
	o := startOVS(t)
	sock := filepath.Join(o.dir, "proxy.sock")
	px := startProxy(t, sock, filepath.Join(o.dir, oracleBridge+".mgmt"))
	tgt := "unix:" + sock
	cases := []string{
		"add-flow " + tgt + " in_port=p1,actions=output:p2",
		"add-flow " + tgt + " table=1,priority=5,tun_id=0x5,actions=resubmit(,2)",
		"add-flow " + tgt + " priority=7,reg0=1,actions=drop",
		"-O OpenFlow13 add-flow " + tgt + " in_port=p1,actions=output:p2",
		"-O OpenFlow13 add-flow " + tgt + " table=2,priority=9,tcp,tp_dst=22,actions=drop",
		"mod-flows " + tgt + " in_port=p1,actions=drop",
		"del-flows " + tgt + " in_port=p1",
		"del-flows " + tgt,
		"-O OpenFlow13 del-flows " + tgt + " in_port=2",
		"-O OpenFlow13 del-flows " + tgt,
		"dump-flows " + tgt,
		"dump-flows " + tgt + " table=1",
		"-O OpenFlow13 dump-flows " + tgt,
		"-O OpenFlow13 dump-flows " + tgt + " in_port=p2",
		"dump-aggregate " + tgt,
		"show " + tgt,
		"-O OpenFlow13 show " + tgt,
		"dump-ports " + tgt + " p1",
		"mod-port " + tgt + " p2 no-flood",
		"-O OpenFlow13 mod-port " + tgt + " p2 flood",
		"dump-flows --names " + tgt,
	}
	for _, c := range cases {
		args := strings.Fields(c)
		var want, got [][][]byte
		for attempt := 1; ; attempt++ {
			o.reset(t)
			px.take()
			_, errs1, code1 := o.runTool(t, "", "ovs-ofctl", args...)
			want = px.take()
			o.reset(t)
			px.take()
			_, errs2, code2 := o.runGovs("", args...)
			got = px.take()
			if code1 == 0 && code2 == 0 {
				break
			}
			if attempt == maxAttempts || !transientOVS.MatchString(errs1+errs2) {
				t.Fatalf("%s: ovs-ofctl exit %d %s; govs-ofctl exit %d %s", c, code1, errs1, code2, errs2)
			}
		}
		if !equalConvs(got, want) {
			t.Errorf("%s: message sequence differs\novs-ofctl:\n%sgovs-ofctl:\n%s", c, describe(want), describe(got))
		}
	}
}

func equalConvs(a, b [][][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for j := range a[i] {
			if !bytes.Equal(a[i][j], b[i][j]) {
				return false
			}
		}
	}
	return true
}
