package ofp

// Hello element types.
const (
	helloElemVersionBitmap = 1
	helloElemHeaderLen     = 4
	bitsPerWord            = 32
)

// Hello is OFPT_HELLO. Versions is the version bitmap element (bit n =
// version n), 0 when the HELLO carries no bitmap (then the peer supports
// every version up to the header version).
type Hello struct {
	Header
	Versions uint32
}

// AppendBinary implements Message.
func (m *Hello) AppendBinary(b []byte) ([]byte, error) {
	start := len(b)
	b = appendHeader(b, m.Version, TypeHello, m.Xid)
	if m.Versions != 0 {
		const elemLen = helloElemHeaderLen + 4
		b = put16(b, helloElemVersionBitmap)
		b = put16(b, elemLen)
		b = put32(b, m.Versions)
		b = padTo8(b, start)
	}
	return finish(b, start)
}

// UnmarshalBinary implements Message. Unknown elements are skipped, as
// the specification requires; only the first bitmap word is kept
// (versions above 31 do not exist).
func (m *Hello) UnmarshalBinary(b []byte) error {
	if err := m.Header.UnmarshalBinary(b); err != nil {
		return err
	}
	m.Versions = 0
	r := newReader(b[HeaderLen:m.Length])
	for r.left() >= helloElemHeaderLen {
		typ, n := r.u16(), int(r.u16())
		if n < helloElemHeaderLen || n-helloElemHeaderLen > r.left() {
			return newErr(OFPBRC_BAD_LEN, "hello element of length %d", n)
		}
		body := r.bytes(n - helloElemHeaderLen)
		r.skip(min(roundUp8(n)-n, r.left()))
		if typ == helloElemVersionBitmap && len(body) >= 4 {
			br := newReader(body)
			m.Versions = br.u32()
		}
	}
	return nil
}

// Negotiate returns the version both sides use: the highest version in
// ours ∩ peer's (peer's set from its HELLO), or ok=false (then the switch
// sends OFPHFC_INCOMPATIBLE), as OVS vconn.
func Negotiate(ours uint32, peer *Hello) (uint8, bool) {
	theirs := peer.Versions
	if theirs == 0 {
		if peer.Version >= bitsPerWord-1 {
			theirs = ^uint32(0) &^ 1
		} else {
			theirs = uint32(1)<<(peer.Version+1) - 2
		}
	}
	common := ours & theirs
	if common == 0 {
		return 0, false
	}
	v := uint8(bitsPerWord - 1)
	for common&(1<<v) == 0 {
		v--
	}
	return v, true
}

// ErrorMsg is OFPT_ERROR. For standard errors Vendor is 0 and Type/Code
// are the wire values. For Nicira errors Vendor is NXVendorID and
// Type/Code are the vendor type and code (OpenFlow 1.0 sends them inside
// NXET_VENDOR; 1.2+ as OFPET_EXPERIMENTER with the type in the code
// field). Data is the offending request (or HELLO_FAILED text).
type ErrorMsg struct {
	Header
	Vendor uint32
	Type   uint16
	Code   uint16
	Data   []byte
}

// NewErrorMsg builds the error message for c in version v.
func NewErrorMsg(c ErrCode, v uint8, xid uint32, data []byte) *ErrorMsg {
	e := c.wireFor(v)
	return &ErrorMsg{Header: Header{Version: v, Xid: xid}, Vendor: e.vendor, Type: e.typ, Code: e.code, Data: data}
}

// ErrCode maps the message back to a named error (ErrNone if unknown).
func (m *ErrorMsg) ErrCode() ErrCode {
	return errCodeFromWire(m.Version, m.Vendor, m.Type, m.Code)
}

// AppendBinary implements Message.
func (m *ErrorMsg) AppendBinary(b []byte) ([]byte, error) {
	start := len(b)
	b = appendHeader(b, m.Version, TypeError, m.Xid)
	switch {
	case m.Vendor == 0:
		b = put16(b, m.Type)
		b = put16(b, m.Code)
	case is10(m.Version):
		b = put16(b, NXET_VENDOR)
		b = put16(b, NXVC_VENDOR_ERROR)
		b = put32(b, m.Vendor)
		b = put16(b, m.Type)
		b = put16(b, m.Code)
	default:
		b = put16(b, OFPET12_EXPERIMENTER)
		b = put16(b, m.Type)
		b = put32(b, m.Vendor)
	}
	b = append(b, m.Data...)
	return finish(b, start)
}

// UnmarshalBinary implements Message.
func (m *ErrorMsg) UnmarshalBinary(b []byte) error {
	if err := m.Header.UnmarshalBinary(b); err != nil {
		return err
	}
	r := newReader(b[HeaderLen:m.Length])
	m.Vendor, m.Type, m.Code = 0, r.u16(), r.u16()
	switch {
	case is10(m.Version) && m.Type == NXET_VENDOR && m.Code == NXVC_VENDOR_ERROR:
		m.Vendor, m.Type, m.Code = r.u32(), r.u16(), r.u16()
	case !is10(m.Version) && m.Type == OFPET12_EXPERIMENTER:
		m.Type, m.Code = m.Code, 0
		m.Vendor = r.u32()
	}
	m.Data = r.rest()
	if r.err != nil {
		return newErr(OFPBRC_BAD_LEN, "error message too short")
	}
	// A vendor/experimenter error with id 0 reads as the standard error
	// it names, as in OVS (ofperr_decode_msg); if that is the vendor
	// escape itself it has no standard form (and would re-encode to a
	// truncated message): OVS fails to decode it too.
	if m.Vendor == 0 && m.isVendorEscape() {
		return newErr(OFPBRC_BAD_LEN, "vendor error with vendor id 0 naming the vendor error type 0x%04x", m.Type)
	}
	return nil
}

// isVendorEscape reports whether Type/Code, written as a standard error,
// would announce a vendor (1.0) or experimenter (1.2+) error instead.
func (m *ErrorMsg) isVendorEscape() bool {
	if is10(m.Version) {
		return m.Type == NXET_VENDOR && m.Code == NXVC_VENDOR_ERROR
	}
	return m.Type == OFPET12_EXPERIMENTER
}

// EchoRequest is OFPT_ECHO_REQUEST; Data is echoed back in the reply.
type EchoRequest struct {
	Header
	Data []byte
}

// EchoReply is OFPT_ECHO_REPLY.
type EchoReply struct {
	Header
	Data []byte
}

func appendData(b []byte, h *Header, typ uint8, data []byte) ([]byte, error) {
	start := len(b)
	b = appendHeader(b, h.Version, typ, h.Xid)
	b = append(b, data...)
	return finish(b, start)
}

func unmarshalData(b []byte, h *Header, data *[]byte) error {
	if err := h.UnmarshalBinary(b); err != nil {
		return err
	}
	*data = b[HeaderLen:h.Length:h.Length]
	return nil
}

// AppendBinary implements Message.
func (m *EchoRequest) AppendBinary(b []byte) ([]byte, error) {
	return appendData(b, &m.Header, TypeEchoRequest, m.Data)
}

// UnmarshalBinary implements Message.
func (m *EchoRequest) UnmarshalBinary(b []byte) error { return unmarshalData(b, &m.Header, &m.Data) }

// AppendBinary implements Message.
func (m *EchoReply) AppendBinary(b []byte) ([]byte, error) {
	return appendData(b, &m.Header, TypeEchoReply, m.Data)
}

// UnmarshalBinary implements Message.
func (m *EchoReply) UnmarshalBinary(b []byte) error { return unmarshalData(b, &m.Header, &m.Data) }

// emptyMsg is a header-only message.
type emptyMsg struct{ Header }

func (m *emptyMsg) append(b []byte, t10, t11 uint8) ([]byte, error) {
	if err := checkVersion(m.Version); err != nil {
		return b, err
	}
	start := len(b)
	b = appendHeader(b, m.Version, typeFor(m.Version, t10, t11), m.Xid)
	return finish(b, start)
}

func (m *emptyMsg) UnmarshalBinary(b []byte) error {
	if err := m.Header.UnmarshalBinary(b); err != nil {
		return err
	}
	if m.Length != HeaderLen {
		return newErr(OFPBRC_BAD_LEN, "message type %d must be %d bytes, not %d", m.Type, HeaderLen, m.Length)
	}
	return nil
}

// FeaturesRequest is OFPT_FEATURES_REQUEST.
type FeaturesRequest struct{ emptyMsg }

// AppendBinary implements Message.
func (m *FeaturesRequest) AppendBinary(b []byte) ([]byte, error) {
	return m.append(b, TypeFeaturesRequest, TypeFeaturesRequest)
}

// GetConfigRequest is OFPT_GET_CONFIG_REQUEST.
type GetConfigRequest struct{ emptyMsg }

// AppendBinary implements Message.
func (m *GetConfigRequest) AppendBinary(b []byte) ([]byte, error) {
	return m.append(b, TypeGetConfigRequest, TypeGetConfigRequest)
}

// BarrierRequest is OFPT_BARRIER_REQUEST (type 18 in 1.0, 20 in 1.1+).
type BarrierRequest struct{ emptyMsg }

// AppendBinary implements Message.
func (m *BarrierRequest) AppendBinary(b []byte) ([]byte, error) {
	return m.append(b, Type10BarrierRequest, Type13BarrierRequest)
}

// BarrierReply is OFPT_BARRIER_REPLY (type 19 in 1.0, 21 in 1.1+).
type BarrierReply struct{ emptyMsg }

// AppendBinary implements Message.
func (m *BarrierReply) AppendBinary(b []byte) ([]byte, error) {
	return m.append(b, Type10BarrierReply, Type13BarrierReply)
}

// Switch config flags (OFPC_FRAG_*).
const (
	ConfigFragNormal = 0
	ConfigFragDrop   = 1
	ConfigFragReasm  = 2
	ConfigFragMask   = 3
)

// SwitchConfig is the body of GET_CONFIG_REPLY and SET_CONFIG.
type SwitchConfig struct {
	Flags       uint16
	MissSendLen uint16
}

const switchConfigLen = HeaderLen + 4

func (c *SwitchConfig) append(b []byte, h *Header, typ uint8) ([]byte, error) {
	if err := checkVersion(h.Version); err != nil {
		return b, err
	}
	start := len(b)
	b = appendHeader(b, h.Version, typ, h.Xid)
	b = put16(b, c.Flags)
	b = put16(b, c.MissSendLen)
	return finish(b, start)
}

func (c *SwitchConfig) unmarshal(b []byte, h *Header) error {
	if err := h.UnmarshalBinary(b); err != nil {
		return err
	}
	if h.Length != switchConfigLen {
		return newErr(OFPBRC_BAD_LEN, "switch config message must be %d bytes, not %d", switchConfigLen, h.Length)
	}
	r := newReader(b[HeaderLen:])
	c.Flags, c.MissSendLen = r.u16(), r.u16()
	return nil
}

// GetConfigReply is OFPT_GET_CONFIG_REPLY.
type GetConfigReply struct {
	Header
	SwitchConfig
}

// AppendBinary implements Message.
func (m *GetConfigReply) AppendBinary(b []byte) ([]byte, error) {
	return m.append(b, &m.Header, TypeGetConfigReply)
}

// UnmarshalBinary implements Message.
func (m *GetConfigReply) UnmarshalBinary(b []byte) error { return m.unmarshal(b, &m.Header) }

// SetConfig is OFPT_SET_CONFIG.
type SetConfig struct {
	Header
	SwitchConfig
}

// AppendBinary implements Message.
func (m *SetConfig) AppendBinary(b []byte) ([]byte, error) {
	return m.append(b, &m.Header, TypeSetConfig)
}

// UnmarshalBinary implements Message.
func (m *SetConfig) UnmarshalBinary(b []byte) error { return m.unmarshal(b, &m.Header) }
