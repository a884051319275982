package ofp

// Message is one OpenFlow message. Every concrete message type embeds a
// Header (so Hdr is promoted) and implements:
//
//   - AppendBinary appends the whole message, header included, for
//     Hdr().Version and Hdr().Xid (Hdr().Type and Length are computed);
//   - UnmarshalBinary parses one whole message (b[:Length]); the decoded
//     message may keep sub-slices of b for opaque payloads (packet data,
//     echo data, error data), so b must not be reused while it is in use.
//
// Decoding never panics on any input; errors are *Error values carrying
// the OpenFlow error a switch must answer with.
type Message interface {
	Hdr() *Header
	AppendBinary(b []byte) ([]byte, error)
	UnmarshalBinary(b []byte) error
}

// Encode encodes m as version v with transaction id xid (it sets m's
// header fields first).
func Encode(m Message, v uint8, xid uint32) ([]byte, error) {
	h := m.Hdr()
	h.Version, h.Xid = v, xid
	return m.AppendBinary(nil)
}

// MarshalBinary is AppendBinary(nil) for any message.
func MarshalBinary(m Message) ([]byte, error) { return m.AppendBinary(nil) }

// Decode parses the message at the start of b. The body is bounded by the
// header length: bytes after it are ignored (they are the next message of
// the stream) and a header length beyond len(b) is an error. Unknown or
// unsupported messages return an *Error with the code to reply with.
func Decode(b []byte) (Message, error) {
	var h Header
	if err := h.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	b = b[:h.Length:h.Length]
	m, err := newMessage(b, &h)
	if err != nil {
		return nil, err
	}
	if err := m.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return m, nil
}

// newMessage picks the Go type for a header (and, for vendor and stats
// messages, the subtype in the body).
func newMessage(b []byte, h *Header) (Message, error) {
	switch h.Type {
	case TypeHello:
		return &Hello{}, nil
	case TypeError:
		return &ErrorMsg{}, nil
	case TypeEchoRequest:
		return &EchoRequest{}, nil
	case TypeEchoReply:
		return &EchoReply{}, nil
	}
	if err := checkVersion(h.Version); err != nil {
		return nil, err
	}
	v10 := is10(h.Version)
	switch {
	case h.Type == TypeVendor:
		return newVendorMessage(b, h)
	case h.Type == TypeFeaturesRequest:
		return &FeaturesRequest{}, nil
	case h.Type == TypeFeaturesReply:
		return &FeaturesReply{}, nil
	case h.Type == TypeGetConfigRequest:
		return &GetConfigRequest{}, nil
	case h.Type == TypeGetConfigReply:
		return &GetConfigReply{}, nil
	case h.Type == TypeSetConfig:
		return &SetConfig{}, nil
	case h.Type == TypePacketIn:
		return &PacketIn{}, nil
	case h.Type == TypeFlowRemoved:
		return &FlowRemoved{}, nil
	case h.Type == TypePortStatus:
		return &PortStatus{}, nil
	case h.Type == TypePacketOut:
		return &PacketOut{}, nil
	case h.Type == TypeFlowMod:
		return &FlowMod{}, nil
	case v10 && h.Type == Type10PortMod, !v10 && h.Type == Type13PortMod:
		return &PortMod{}, nil
	case v10 && h.Type == Type10BarrierRequest, !v10 && h.Type == Type13BarrierRequest:
		return &BarrierRequest{}, nil
	case v10 && h.Type == Type10BarrierReply, !v10 && h.Type == Type13BarrierReply:
		return &BarrierReply{}, nil
	case v10 && h.Type == Type10StatsRequest, !v10 && h.Type == Type13MultipartRequest:
		return newStatsMessage(b, h, true)
	case v10 && h.Type == Type10StatsReply, !v10 && h.Type == Type13MultipartReply:
		return newStatsMessage(b, h, false)
	}
	return nil, newErr(OFPBRC_BAD_TYPE, "message type %d is not supported in OpenFlow version 0x%02x", h.Type, h.Version)
}
