package tunnel

import (
	"encoding/binary"
	"net/netip"
	"sync"
	"time"
)

// routeTTL is how long a source-address lookup is reused.
const routeTTL = 5 * time.Second

type routeEntry struct {
	src uint32
	err error
	at  time.Time
}

// routeCache caches source-address lookups (upcall path).
type routeCache struct {
	fn func(dst uint32) (uint32, error)
	mu sync.Mutex
	m  map[uint32]routeEntry // guarded by mu
}

func newRouteCache(fn func(uint32) (uint32, error)) *routeCache {
	if fn == nil {
		fn = kernelSourceFor
	}
	return &routeCache{fn: fn, m: map[uint32]routeEntry{}}
}

func (r *routeCache) lookup(dst uint32) (uint32, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if e, ok := r.m[dst]; ok && time.Since(e.at) < routeTTL {
		return e.src, e.err
	}
	src, err := r.fn(dst)
	if len(r.m) > 4096 {
		clear(r.m)
	}
	r.m[dst] = routeEntry{src: src, err: err, at: time.Now()}
	return src, err
}

func ip4(a netip.Addr) uint32 {
	b := a.As4()
	return binary.BigEndian.Uint32(b[:])
}

func addr4(v uint32) netip.Addr {
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], v)
	return netip.AddrFrom4(b)
}

func addrFrom(b [4]byte) netip.Addr { return netip.AddrFrom4(b) }
