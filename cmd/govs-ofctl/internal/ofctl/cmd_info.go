package ofctl

import (
	"io"
	"strings"

	"govs/flowtable"
	"govs/ofproto/ofp"
)

// cmdShow: features (plus port-desc in 1.3) on one connection, then
// GET_CONFIG on a second one.
func (s *Session) cmdShow(args []string) error {
	target := args[1]
	c, err := s.open(target)
	if err != nil {
		return err
	}
	defer c.close()
	m, err := c.transact(&ofp.FeaturesRequest{})
	if err != nil {
		return err
	}
	if _, err := io.WriteString(s.stdout, msgString(m, nil)); err != nil {
		return err
	}
	dm, derr := m.decode()
	fr, ok := dm.(*ofp.FeaturesReply)
	hasPorts := derr == nil && ok && fr.Version < ofp.Version13 && len(m.raw) <= maxFeaturesWithPorts
	if !hasPorts {
		if err := c.dumpTransaction(&ofp.PortDescRequest{PortNo: flowtable.PortNone}); err != nil {
			return err
		}
	}
	return s.dumpTrivial(target, &ofp.GetConfigRequest{})
}

// dumpTrivial is dump_trivial_transaction: a new connection, one request.
func (s *Session) dumpTrivial(target string, req ofp.Message) error {
	c, err := s.open(target)
	if err != nil {
		return err
	}
	defer c.close()
	switch req.(type) {
	case *ofp.GetConfigRequest, *ofp.TLVTableRequest:
		return c.dumpSimple(req)
	}
	return c.dumpTransaction(req)
}

func (s *Session) cmdDumpDesc(args []string) error {
	return s.dumpTrivial(args[1], &ofp.DescRequest{})
}

func (s *Session) cmdDumpTables(args []string) error {
	return s.dumpTrivial(args[1], &ofp.TableStatsRequest{})
}

func (s *Session) cmdGetFrags(args []string) error {
	c, err := s.open(args[1])
	if err != nil {
		return err
	}
	defer c.close()
	m, err := c.transact(&ofp.GetConfigRequest{})
	if err != nil {
		return err
	}
	dm, derr := m.decode()
	cfg, ok := dm.(*ofp.GetConfigReply)
	if derr != nil || !ok {
		return fatalf("%s: bad reply to config request", c.name)
	}
	frags := [...]string{"normal", "drop", "reassemble", "nx-match"}
	_, err = io.WriteString(s.stdout, frags[cfg.Flags&ofp.ConfigFragMask]+"\n")
	return err
}

// cmdProbe sends an echo request and checks the reply.
func (s *Session) cmdProbe(args []string) error {
	c, err := s.open(args[1])
	if err != nil {
		return err
	}
	defer c.close()
	m, err := c.transact(&ofp.EchoRequest{})
	if err != nil {
		return err
	}
	if len(m.raw) != ofp.HeaderLen {
		return fatalf("reply does not match request")
	}
	return nil
}

// strToPortNo is str_to_port_no: a number or reserved name first, then a
// name through the port map.
func (s *Session) strToPortNo(target, name string) (flowtable.PortNo, error) {
	if p, ok := flowtable.ParsePort(name, nil); ok {
		return p, nil
	}
	pm, err := s.portsToAccept(target)
	if err != nil {
		return 0, err
	}
	if p, ok := flowtable.ParsePort(name, pm); ok {
		return p, nil
	}
	return 0, fatalf("%s: unknown port `%s'", target, name)
}

func (s *Session) cmdDumpPorts(args []string) error {
	c, err := s.open(args[1])
	if err != nil {
		return err
	}
	defer c.close()
	port := flowtable.PortNone
	if len(args) > 2 {
		if port, err = s.strToPortNo(args[1], args[2]); err != nil {
			return err
		}
	}
	return c.dumpTransaction(&ofp.PortStatsRequest{PortNo: port})
}

func (s *Session) cmdDumpPortsDesc(args []string) error {
	c, err := s.open(args[1])
	if err != nil {
		return err
	}
	defer c.close()
	port := flowtable.PortNone
	if len(args) > 2 {
		if port, err = s.strToPortNo(args[1], args[2]); err != nil {
			return err
		}
	}
	// OpenFlow 1.0 and 1.3 port-desc requests carry no port: all ports.
	return c.dumpTransaction(&ofp.PortDescRequest{PortNo: port})
}

// portConfig11Bits are the OFPPC_* bits OpenFlow 1.1+ defines.
const portConfig11Bits = ofp.PortConfigPortDown | ofp.PortConfigNoRecv | ofp.PortConfigNoFwd | ofp.PortConfigNoPacketIn

// modPortFlags is ofctl_mod_port's table.
var modPortFlags = []struct {
	name string
	bit  uint32
	on   bool
}{
	{"up", ofp.PortConfigPortDown, false},
	{"down", ofp.PortConfigPortDown, true},
	{"stp", ofp.PortConfigNoSTP, false},
	{"receive", ofp.PortConfigNoRecv, false},
	{"receive-stp", ofp.PortConfigNoRecvSTP, false},
	{"flood", ofp.PortConfigNoFlood, false},
	{"forward", ofp.PortConfigNoFwd, false},
	{"packet-in", ofp.PortConfigNoPacketIn, false},
}

// parseModPortAction maps "down", "no-flood", "noflood", ... to
// (config, mask); ok=false for an unknown action.
func parseModPortAction(act string) (config, mask uint32, ok bool) {
	cmd, not := act, false
	switch {
	case len(act) >= 3 && strings.EqualFold(act[:3], "no-"):
		cmd, not = act[3:], true
	case len(act) >= 2 && strings.EqualFold(act[:2], "no"):
		cmd, not = act[2:], true
	}
	for _, f := range modPortFlags {
		if strings.EqualFold(cmd, f.name) {
			if f.on != not {
				config = f.bit
			}
			return config, f.bit, true
		}
	}
	return 0, 0, false
}

// cmdModPort: fetch the port (for its hw_addr) on one connection, then
// PORT_MOD + barrier on another.
func (s *Session) cmdModPort(args []string) error {
	target, portName, act := args[1], args[2], args[3]
	pp, err := s.fetchPhyPort(target, portName)
	if err != nil {
		return err
	}
	config, mask, ok := parseModPortAction(act)
	if !ok {
		return fatalf("unknown mod-port command '%s'", act)
	}
	c, err := s.open(target)
	if err != nil {
		return err
	}
	defer c.close()
	if c.version >= ofp.Version13 {
		// NO_STP, NO_RECV_STP and NO_FLOOD do not exist in OpenFlow 1.1+;
		// ofputil_encode_port_mod drops them.
		config &= portConfig11Bits
		mask &= portConfig11Bits
	}
	pm := &ofp.PortMod{PortNo: pp.PortNo, HWAddr: pp.HWAddr, Config: config, Mask: mask}
	return c.noReplyOrFail(pm)
}

// fetchPhyPort is fetch_ofputil_phy_port.
func (s *Session) fetchPhyPort(target, name string) (*ofp.PhyPort, error) {
	want := flowtable.PortNone
	if v, ok := flowtable.CStrToUint(name, 10); ok && v <= uint64(^uint32(0)) {
		want = flowtable.PortNo(v)
	}
	c, err := s.open(target)
	if err != nil {
		return nil, err
	}
	ports, err := c.fetchPorts()
	c.close()
	if err != nil {
		return nil, err
	}
	for i := range ports {
		p := &ports[i]
		if (want != flowtable.PortNone && p.PortNo == want) || (want == flowtable.PortNone && p.Name == name) {
			return p, nil
		}
	}
	return nil, fatalf("%s: couldn't find port `%s'", target, name)
}

// noReplyOrFail is transact_noreply: an error reply is printed to stderr
// (ofp_print) and the command exits 1.
func (c *conn) noReplyOrFail(m ofp.Message) error {
	r, err := c.transactNoReply(m)
	if err != nil || r == nil {
		return err
	}
	pm, err := c.s.showMaps(c.name)
	if err != nil {
		return err
	}
	return &exitError{code: 1, text: msgString(r, pm)}
}
