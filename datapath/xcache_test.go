package datapath

import (
	"sync"
	"testing"

	"govs/datapath/flow"
)

// cookieUpcaller outputs to port 2, exact on eth_dst, and hands out a
// new cookie per translation.
type cookieUpcaller struct {
	mu      sync.Mutex
	next    int
	lens    []int
	cookies []*int
}

func (u *cookieUpcaller) Upcall(k, mask *flow.Key, acts *Actions) error {
	_, err := u.UpcallCookie(k, mask, acts, 0)
	return err
}

func (u *cookieUpcaller) UpcallCookie(k, mask *flow.Key, acts *Actions, frameLen int) (any, error) {
	maskEthDst(mask)
	*acts = append(*acts, Output(2))
	u.mu.Lock()
	defer u.mu.Unlock()
	u.next++
	c := new(int)
	*c = u.next
	u.lens = append(u.lens, frameLen)
	u.cookies = append(u.cookies, c)
	return c, nil
}

func pullAll(dp *Datapath) map[int]StatsDelta {
	out := map[int]StatsDelta{}
	var mu sync.Mutex
	dp.PullStats(func(d *StatsDelta) {
		mu.Lock()
		defer mu.Unlock()
		id := *d.Cookie.(*int)
		s := out[id]
		s.Packets += d.Packets
		s.Bytes += d.Bytes
		out[id] = s
	})
	return out
}

func TestPullStatsCookies(t *testing.T) {
	up := &cookieUpcaller{}
	dp, _, _ := newTestDP(t, up, Config{})
	f := udpFrame(2, 1, 1, 2, 10, 20)
	dp.Worker(0).ProcessBatch(1, newBatchOf(f, f, f))
	if len(up.lens) != 1 || up.lens[0] != len(f) {
		t.Fatalf("upcall frame lengths %v", up.lens)
	}
	got := pullAll(dp)
	// The upcalled packet is not in the megaflow's stats.
	if d := got[1]; len(got) != 1 || d.Packets != 2 || d.Bytes != 2*uint64(len(f)) {
		t.Fatalf("first pull %+v", got)
	}
	if got := pullAll(dp); len(got) != 0 {
		t.Fatalf("second pull without traffic %+v", got)
	}
	// Revalidation gives the flow a new cookie; unpulled traffic stays
	// with the old one.
	dp.Worker(0).ProcessBatch(1, newBatchOf(f))
	dp.Revalidate()
	if up.lens[len(up.lens)-1] != 0 {
		t.Fatal("revalidation passed a frame length")
	}
	dp.Worker(0).ProcessBatch(1, newBatchOf(f, f))
	got = pullAll(dp)
	if got[1].Packets != 1 || got[2].Packets != 2 {
		t.Fatalf("after revalidate %+v", got)
	}
	// A deleted flow's last traffic is reported once.
	dp.Worker(0).ProcessBatch(1, newBatchOf(f))
	dp.Flush()
	got = pullAll(dp)
	if len(got) != 1 || got[2].Packets != 1 {
		t.Fatalf("after flush %+v", got)
	}
	if got := pullAll(dp); len(got) != 0 {
		t.Fatalf("retired stats reported twice %+v", got)
	}
}
