package ofserver

import (
	"govs/datapath"
	"govs/datapath/flow"
	"govs/flowtable"
	"govs/flowtable/ofpact"
	"govs/ofproto/ofp"
)

// ControllerInfo is what a packet-in needs beyond the frame, decoded from
// the datapath userspace action's cookie (ofproto/xlate interns it).
type ControllerInfo struct {
	Reason ofpact.Reason
	Table  uint8
	Cookie uint64
	MaxLen uint16
}

// ControllerHook connects the datapath's controller action to the server:
// install it with Datapath.SetControllerHook. Decode maps the userspace
// cookie to its ControllerInfo (e.g. a wrapper around
// xlate.Pipeline.ControllerInfo); cookies it does not know are dropped.
type ControllerHook struct {
	Server *Server
	Decode func(cookie uint64) (ControllerInfo, bool)
}

var _ datapath.ControllerHook = (*ControllerHook)(nil)

// Controller implements datapath.ControllerHook. It runs on a datapath
// worker, copies nothing itself (Server.PacketIn encodes straight into
// each connection's buffer) and allocates nothing once connections are
// warm. frame is only read during the call.
func (h *ControllerHook) Controller(frame []byte, k *flow.Key, cookie uint64) {
	if h.Decode == nil || h.Server == nil {
		return
	}
	ci, ok := h.Decode(cookie)
	if !ok {
		return
	}
	pi := PacketIn{Reason: packetInReason(ci.Reason), TableID: ci.Table, Cookie: ci.Cookie,
		InPort: flowtable.PortNo(k.InPort()), MaxLen: ci.MaxLen, Data: frame}
	// A table miss sent by the pipeline (OpenFlow 1.0 semantics) uses each
	// connection's miss_send_len, as OVS.
	pi.UseMissSendLen = ci.Reason == ofpact.ReasonNoMatch && ci.MaxLen == noMaxLen
	pi.Match.SetInPort(pi.InPort)
	h.Server.PacketIn(&pi)
}

// packetInReason maps OVS's reasons to the ones OpenFlow 1.0 and 1.3
// carry (action_set, group and packet_out are sent as "action", as OVS
// does before OpenFlow 1.4).
func packetInReason(r ofpact.Reason) uint8 {
	switch r {
	case ofpact.ReasonNoMatch:
		return ofp.PacketInNoMatch
	case ofpact.ReasonInvalidTTL:
		return ofp.PacketInInvalidTTL
	}
	return ofp.PacketInAction
}
