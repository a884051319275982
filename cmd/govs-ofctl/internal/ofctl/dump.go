package ofctl

import (
	"io"

	"govs/flowtable"
	"govs/ofproto/ofp"
)

// maxFeaturesWithPorts: an OpenFlow 1.0 features reply this close to the
// 64 KiB limit may have dropped ports (ofputil_switch_features_has_ports).
const (
	phyPort10Len           = 48
	maxFeaturesWithPorts   = maxMessageLen - 1 - phyPort10Len
	errBadReplyPrefix      = "received bad reply: "
	multipartMoreFlagsMask = ofp.StatsFlagMore
)

// statsFlags returns the multipart flags of a decoded stats reply.
func statsFlags(m ofp.Message) (uint16, bool) {
	switch r := m.(type) {
	case *ofp.DescReply:
		return r.Flags, true
	case *ofp.FlowStatsReply:
		return r.Flags, true
	case *ofp.AggregateStatsReply:
		return r.Flags, true
	case *ofp.TableStatsReply:
		return r.Flags, true
	case *ofp.TableFeaturesReply:
		return r.Flags, true
	case *ofp.PortStatsReply:
		return r.Flags, true
	case *ofp.PortDescReply:
		return r.Flags, true
	}
	return 0, false
}

// replyMatches reports whether m is the reply kind for request req.
func replyMatches(req, m ofp.Message) bool {
	switch q := req.(type) {
	case *ofp.DescRequest:
		_, ok := m.(*ofp.DescReply)
		return ok
	case *ofp.FlowStatsRequest:
		if q.Aggregate {
			r, ok := m.(*ofp.AggregateStatsReply)
			return ok && r.NX == q.NX
		}
		r, ok := m.(*ofp.FlowStatsReply)
		return ok && r.NX == q.NX
	case *ofp.TableStatsRequest:
		_, ok := m.(*ofp.TableStatsReply)
		return ok
	case *ofp.TableFeaturesRequest:
		_, ok := m.(*ofp.TableFeaturesReply)
		return ok
	case *ofp.PortStatsRequest:
		_, ok := m.(*ofp.PortStatsReply)
		return ok
	case *ofp.PortDescRequest:
		_, ok := m.(*ofp.PortDescReply)
		return ok
	}
	return false
}

// badReply is the "received bad reply: ..." fatal error.
func (c *conn) badReply(m *msg) error {
	return fatalf("%s%s", errBadReplyPrefix, trimNL(msgString(m, nil)))
}

func trimNL(s string) string {
	for len(s) > 0 && s[len(s)-1] == '\n' {
		s = s[:len(s)-1]
	}
	return s
}

// dumpTransaction is dump_transaction for a stats request: print every
// reply (with names when shown) until the last part or an error.
func (c *conn) dumpTransaction(req ofp.Message) error {
	xid, err := c.send(req)
	if err != nil {
		return err
	}
	for {
		m, err := c.recvXID(xid, "OpenFlow packet receive failed")
		if err != nil {
			return err
		}
		pm, err := c.s.showMaps(c.name)
		if err != nil {
			return err
		}
		if _, err := io.WriteString(c.s.stdout, msgString(m, pm)); err != nil {
			return err
		}
		dm, derr := m.decode()
		if derr == nil {
			if _, isErr := dm.(*ofp.ErrorMsg); isErr {
				return nil
			}
		}
		if derr != nil || !replyMatches(req, dm) {
			return c.badReply(m)
		}
		flags, _ := statsFlags(dm)
		if flags&multipartMoreFlagsMask == 0 {
			return nil
		}
	}
}

// dumpSimple is the non-stats branch of dump_transaction (vconn_transact).
func (c *conn) dumpSimple(req ofp.Message) error {
	m, err := c.transact(req)
	if err != nil {
		return err
	}
	pm, err := c.s.showMaps(c.name)
	if err != nil {
		return err
	}
	_, err = io.WriteString(c.s.stdout, msgString(m, pm))
	return err
}

// multipart reads the replies to a stats request sent with xid and calls
// each with every decoded part of the expected kind.
func (c *conn) multipart(req ofp.Message, xid uint32, each func(ofp.Message) error) error {
	for {
		m, err := c.recvXID(xid, "OpenFlow receive failed")
		if err != nil {
			return err
		}
		dm, derr := m.decode()
		if derr != nil || !replyMatches(req, dm) {
			return c.badReply(m)
		}
		if err := each(dm); err != nil {
			return err
		}
		flags, _ := statsFlags(dm)
		if flags&multipartMoreFlagsMask == 0 {
			return nil
		}
	}
}

// fetchPorts is port_iterator: features (1.0) or port-desc (1.3).
func (c *conn) fetchPorts() ([]ofp.PhyPort, error) {
	if c.version < ofp.Version13 {
		m, err := c.transact(&ofp.FeaturesRequest{})
		if err != nil {
			return nil, err
		}
		dm, derr := m.decode()
		fr, ok := dm.(*ofp.FeaturesReply)
		if derr != nil || !ok {
			return nil, fatalf("%s: received bad features reply", c.name)
		}
		if len(m.raw) <= maxFeaturesWithPorts {
			return fr.Ports, nil
		}
	}
	req := &ofp.PortDescRequest{PortNo: flowtable.PortNone}
	xid, err := c.send(req)
	if err != nil {
		return nil, err
	}
	var ports []ofp.PhyPort
	err = c.multipart(req, xid, func(m ofp.Message) error {
		ports = append(ports, m.(*ofp.PortDescReply).Ports...)
		return nil
	})
	return ports, err
}

// fetchTables is table_iterator: table stats (1.0) or features (1.3).
func (c *conn) fetchTables(names map[uint8]string) error {
	var req ofp.Message = &ofp.TableStatsRequest{}
	if c.version >= ofp.Version13 {
		req = &ofp.TableFeaturesRequest{}
	}
	xid, err := c.send(req)
	if err != nil {
		return err
	}
	return c.multipart(req, xid, func(m ofp.Message) error {
		switch r := m.(type) {
		case *ofp.TableStatsReply:
			for _, t := range r.Tables {
				if t.Name != "" {
					names[t.TableID] = t.Name
				}
			}
		case *ofp.TableFeaturesReply:
			for _, t := range r.Tables {
				if t.Name != "" {
					names[t.TableID] = t.Name
				}
			}
		}
		return nil
	})
}
