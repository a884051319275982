package xlate

import (
	"errors"
	"govs/flowtable/ofpact"

	"govs/datapath"
	"govs/datapath/flow"
	"govs/flowtable"
	"govs/tunnel"
	"govs/tunnel/tlv"
)

// SetTunnels gives the pipeline its bridge's tunnel table (nil: no
// tunnels; output to tunnel ports is then dropped and counted). The
// table's decapsulation uses the pipeline's TLV map.
func (p *Pipeline) SetTunnels(t *tunnel.Table) {
	if t != nil {
		t.SetTLV(p.tlv)
	}
	p.tunnels.Store(t)
}

// TLV returns the bridge's Geneve TLV map (add-tlv-map), which flow
// parsing, translation and the tunnel table share.
func (p *Pipeline) TLV() *tlv.Table { return p.tlv }

// Tunnels returns the tunnel table (nil if none).
func (p *Pipeline) Tunnels() *tunnel.Table { return p.tunnels.Load() }

// underlayInput handles a packet received on a hidden underlay port
// (genev_sys_6081...). An outer packet addressed to the port's UDP port
// becomes tnl_pop (the datapath decapsulates and recirculates); anything
// else there is dropped. A recirculated inner packet (tunnel fields set)
// is mapped to its OpenFlow tunnel port, as OVS's tnl_find, and
// translation continues as if it had arrived there. done is true when
// translation is over.
func (c *ctx) underlayInput(t *tunnel.Table) (done bool) {
	in := c.orig.InPort()
	_, udpPort, ok := t.Underlay(in)
	if !ok {
		return false
	}
	if c.orig.Flags()&flow.KeyFlagTunnel != 0 {
		c.wc.Key.SetFlags(c.wc.Key.Flags() | flow.KeyFlagTunnel)
		of, found := t.Find(&c.orig, &c.wc.Key)
		if !found {
			c.tr.warn("no tunnel port matches the decapsulated packet, dropping")
			c.p.tunnelDrops.Add(1)
			return true
		}
		c.st.InPort = flowtable.PortNo(of)
		return false
	}
	k := &c.orig
	c.wc.Key.SetFlags(c.wc.Key.Flags() | flow.KeyFlagTunnel)
	if k.EthType() != flowtable.EthTypeIPv4 {
		return true
	}
	c.wc.Key.SetNwProto(^uint8(0))
	if k.NwProto() != flowtable.IPProtoUDP || k.NwFrag() != 0 {
		return true
	}
	c.wc.Key.SetTpDst(^uint16(0))
	if k.TpDst() != udpPort {
		return true
	}
	c.tr.detail("decapsulating tunnel packet")
	c.acts = append(c.acts, datapath.TunnelPop(in))
	return true
}

// errNoTunDst is a remote_ip=flow output without tun_dst.
var errNoTunDst = errors.New("tunnel output with remote_ip=flow but no tun_dst")

// tunnelOutput emits tnl_push for output to tunnel port p (OVS
// native_tunnel_output): it builds the outer header from the port's
// options and, for the "flow" options, the working flow's tunnel fields
// (un-wildcarding what it read), interns it, and pushes towards the
// port's underlay. It reports whether p is a tunnel port.
func (c *ctx) tunnelOutput(p flow.PortNo) bool {
	if !c.ports.tunnel[p] {
		return false
	}
	t := c.p.tunnels.Load()
	var ti *tunnel.TunnelInfo
	ok := false
	if t != nil {
		ti, ok = t.Tunnel(p)
	}
	if !ok {
		c.p.tunnelDrops.Add(1)
		c.tr.warn("tunnel port is not configured, dropping")
		return true
	}
	h, err := c.tunnelHeader(t, &ti.Config)
	if err != nil {
		c.p.tunnelDrops.Add(1)
		c.tr.warn("native tunnel routing failed (" + err.Error() + "), dropping")
		return true
	}
	c.commit()
	if c.exit {
		return true
	}
	data, err := t.Intern(&h)
	if err != nil {
		c.p.tunnelDrops.Add(1)
		c.tr.warn(err.Error() + ", dropping")
		return true
	}
	c.acts = append(c.acts, datapath.TunnelPush(p, ti.Underlay, data))
	return true
}

// tunnelHeader builds the encapsulation for cfg and the working flow.
func (c *ctx) tunnelHeader(t *tunnel.Table, cfg *tunnel.Config) (tunnel.Header, error) {
	w, m := &c.work, &c.wc.Key
	h := tunnel.Header{Type: cfg.Type, DstPort: cfg.DstPort, DF: cfg.DontFragment, Csum: cfg.Csum,
		TOS: cfg.TOS, TTL: cfg.TTL}
	if cfg.RemoteFlow {
		m.SetTunDst(^uint32(0))
		h.Dst = w.TunDst()
		if h.Dst == 0 {
			return h, errNoTunDst
		}
	} else {
		h.Dst = addrU32(cfg.RemoteIP.As4())
	}
	switch {
	case cfg.LocalFlow && w.TunSrc() != 0:
		m.SetTunSrc(^uint32(0))
		h.Src = w.TunSrc()
	case cfg.LocalIP.Is4():
		h.Src = addrU32(cfg.LocalIP.As4())
	default:
		if cfg.LocalFlow {
			m.SetTunSrc(^uint32(0))
		}
		src, err := t.SourceIP(h.Dst)
		if err != nil {
			return h, err
		}
		h.Src = src
	}
	if cfg.Type == tunnel.TypeGeneve {
		// The flow's tun_flags oam becomes the Geneve O bit (OVS
		// netdev_geneve_build_header).
		m.SetTunFlags(m.TunFlags() | flow.TunFlagOAM)
		h.OAM = w.TunFlags()&flow.TunFlagOAM != 0
		// Options from the present tun_metadata fields, by the bridge's
		// TLV map (OVS tun_metadata_to_geneve); un-wildcards what it read.
		tunnel.BuildOptions(&h, c.p.tlv.Load(), w, m)
	}
	if cfg.OutKeyFlow {
		m.SetTunID(^uint64(0))
		h.VNI = uint32(w.TunID()) & 0xffffff
	} else {
		h.VNI = uint32(cfg.OutKey) & 0xffffff
	}
	if isIPAny(w) {
		if cfg.TOSInherit {
			m.SetNwTos(^uint8(0))
			h.TOS = w.NwTos()
		}
		if cfg.TTLInherit {
			m.SetNwTTL(^uint8(0))
			h.TTL = w.NwTTL()
		}
	} else if cfg.TTLInherit {
		h.TTL = tunnel.DefaultTTL
	}
	return h, nil
}

func addrU32(b [4]byte) uint32 {
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

// emitOutput appends the output of the (committed) packet to port p:
// tnl_push for a tunnel port, output otherwise.
func (c *ctx) emitOutput(p flow.PortNo) {
	if c.tunnelOutput(p) {
		return
	}
	c.acts = append(c.acts, datapath.Output(p))
}

// setTunMetadata is set_field to tun_metadata<N>: the value, right-aligned
// into the field's mapped length, goes to the field's place in the
// working key's option slot and the field becomes present, so output to a
// Geneve port sends it (OVS sets the present bit likewise). An unmapped
// field (the map changed after the flow was added) writes nothing.
func (c *ctx) setTunMetadata(a *ofpact.SetTunMetadata) {
	e := c.p.tlv.Load().Field(int(a.Index))
	if !e.Valid {
		c.tr.warn("set_field to an unmapped tun_metadata field, ignored")
		return
	}
	v, mk := a.Value[:a.Len], a.Mask[:a.Len]
	if len(v) > int(e.Len) {
		v, mk = v[len(v)-int(e.Len):], mk[len(mk)-int(e.Len):]
	}
	md := c.work.TunMetadata()
	dst := md[int(e.Offset)+int(e.Len)-len(v):]
	for i := range v {
		dst[i] = dst[i]&^mk[i] | v[i]&mk[i]
	}
	c.work.SetTunMetadata(md)
	c.work.SetTunFlags(c.work.TunFlags() | flow.TunFlagOptPresent<<(e.Offset/4))
}
