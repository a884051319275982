package ofserver

import (
	"sort"
	"time"

	"govs/ofproto/ofp"
)

// Server implements Events.
var _ Events = (*Server)(nil)

// noMaxLen is the controller max_len meaning "the whole packet"
// (OFPCML_NO_BUFFER).
const noMaxLen = 0xffff

// wantsAsync reports whether c gets asynchronous messages at all: a
// service connection only after it set a non-zero miss_send_len (OVS
// ofconn_wants_async_msg), and only once a version is negotiated.
func (c *conn) wantsAsync() bool {
	if c.version() == 0 {
		return false
	}
	return c.kind != KindService || c.missSendLen.Load() != 0
}

// PacketIn implements Events. It encodes one OFPT_PACKET_IN per
// connection that wants it (data truncated to max_len or, for table
// misses, the connection's miss_send_len; buffer_id is always NO_BUFFER)
// and queues it without blocking. It allocates nothing in steady state.
func (s *Server) PacketIn(pi *PacketIn) {
	for _, c := range *s.conns.Load() {
		if !c.wantsAsync() {
			continue
		}
		if pi.Reason == ofp.PacketInInvalidTTL && !c.invalidTTL.Load() {
			continue
		}
		n := len(pi.Data)
		limit := int(pi.MaxLen)
		if pi.UseMissSendLen {
			limit = int(c.missSendLen.Load())
		}
		if limit != noMaxLen && limit < n {
			n = limit
		}
		n = min(n, maxPacketInData)
		ob := c.getBuf()
		m := &ob.pi
		*m = ofp.PacketIn{
			Header:   ofp.Header{Version: c.version()},
			BufferID: ofp.NoBuffer,
			TotalLen: uint16(min(len(pi.Data), maxMsgLen)),
			InPort:   pi.InPort,
			Reason:   pi.Reason,
			TableID:  pi.TableID,
			Cookie:   pi.Cookie,
			Match:    pi.Match,
			Data:     pi.Data[:n],
		}
		b, err := m.AppendBinary(ob.b[:0])
		m.Data = nil
		if err != nil {
			c.putBuf(ob)
			s.nDropped.Add(1)
			continue
		}
		ob.b = b
		if c.tryEnqueue(ob) {
			s.nPacketIns.Add(1)
		}
	}
}

// maxPacketInData keeps a packet-in within one message: the fixed part
// and the 1.3 match take well under 1 KiB.
const maxPacketInData = maxMsgLen - 1024

// FlowRemoved implements Events.
func (s *Server) FlowRemoved(fr *FlowRemoved) {
	d := fr.Duration
	if d < 0 {
		d = 0
	}
	for _, c := range *s.conns.Load() {
		if !c.wantsAsync() {
			continue
		}
		m := &ofp.FlowRemoved{Header: ofp.Header{Version: c.version()}, Match: fr.Match, Cookie: fr.Cookie,
			Priority: fr.Priority, Reason: fr.Reason, TableID: fr.TableID,
			DurationSec: uint32(d / time.Second), DurationNsec: uint32(d % time.Second),
			IdleTimeout: fr.IdleTimeout, HardTimeout: fr.HardTimeout, PacketCount: fr.PacketCount, ByteCount: fr.ByteCount}
		ob := c.getBuf()
		b, err := m.AppendBinary(ob.b[:0])
		if err != nil {
			c.putBuf(ob)
			s.log.Warn("cannot encode flow removed", "conn", c.name, "err", err)
			continue
		}
		ob.b = b
		c.tryEnqueue(ob)
	}
}

// PortsChanged implements Events: it diffs Switch.Ports against the last
// list seen and sends PORT_STATUS for every port added, deleted or
// modified (in port-number order).
func (s *Server) PortsChanged() {
	s.mu.Lock()
	cur := portMap(s.sw.Ports())
	old := s.mu.ports
	s.mu.ports = cur
	s.mu.Unlock()
	type change struct {
		reason uint8
		desc   PortDesc
	}
	var changes []change
	for no, p := range cur {
		if o, ok := old[no]; !ok {
			changes = append(changes, change{ofp.PortReasonAdd, p})
		} else if o != p {
			changes = append(changes, change{ofp.PortReasonModify, p})
		}
	}
	for no, p := range old {
		if _, ok := cur[no]; !ok {
			changes = append(changes, change{ofp.PortReasonDelete, p})
		}
	}
	sort.Slice(changes, func(i, j int) bool { return changes[i].desc.PortNo < changes[j].desc.PortNo })
	for _, ch := range changes {
		s.portStatus(ch.reason, ch.desc)
	}
}

func (s *Server) portStatus(reason uint8, p PortDesc) {
	for _, c := range *s.conns.Load() {
		if !c.wantsAsync() {
			continue
		}
		m := &ofp.PortStatus{Header: ofp.Header{Version: c.version()}, Reason: reason, Desc: maskPort(p, c.version())}
		ob := c.getBuf()
		b, err := m.AppendBinary(ob.b[:0])
		if err != nil {
			c.putBuf(ob)
			continue
		}
		ob.b = b
		c.tryEnqueue(ob)
	}
}

// portMap indexes ports by number (PhyPort is comparable).
func portMap(ports []PortDesc) map[uint32]PortDesc {
	m := make(map[uint32]PortDesc, len(ports))
	for _, p := range ports {
		m[uint32(p.PortNo)] = p
	}
	return m
}
