package ofp

import (
	"errors"
	"fmt"
)

// ErrCode names one OpenFlow error condition independently of the wire
// version, as OVS's enum ofperr. The (type, code) sent for it depends on
// the version: see ErrCode.Encode.
type ErrCode uint16

// Error conditions the codec reports (and a switch replies with). The
// names are OVS's.
const (
	ErrNone ErrCode = iota
	OFPHFC_INCOMPATIBLE
	OFPHFC_EPERM
	OFPBRC_BAD_VERSION
	OFPBRC_BAD_TYPE
	OFPBRC_BAD_STAT
	OFPBRC_BAD_VENDOR
	OFPBRC_BAD_SUBTYPE
	OFPBRC_EPERM
	OFPBRC_BAD_LEN
	OFPBRC_BUFFER_EMPTY
	OFPBRC_BUFFER_UNKNOWN
	OFPBRC_BAD_TABLE_ID
	OFPBRC_BAD_PORT
	OFPBRC_BAD_PACKET
	NXBRC_NXM_INVALID
	NXBRC_NXM_BAD_TYPE
	NXBRC_MUST_BE_ZERO
	NXBRC_BAD_REASON
	NXBRC_UNENCODABLE_ERROR
	OFPBAC_BAD_TYPE
	OFPBAC_BAD_LEN
	OFPBAC_BAD_VENDOR
	OFPBAC_BAD_VENDOR_TYPE
	OFPBAC_BAD_OUT_PORT
	OFPBAC_BAD_ARGUMENT
	OFPBAC_EPERM
	OFPBAC_TOO_MANY
	OFPBAC_BAD_QUEUE
	OFPBAC_BAD_OUT_GROUP
	OFPBAC_MATCH_INCONSISTENT
	OFPBAC_UNSUPPORTED_ORDER
	OFPBAC_BAD_TAG
	OFPBAC_BAD_SET_TYPE
	OFPBAC_BAD_SET_LEN
	OFPBAC_BAD_SET_ARGUMENT
	OFPBAC_BAD_SET_MASK
	NXBAC_MUST_BE_ZERO
	OFPBIC_UNKNOWN_INST
	OFPBIC_UNSUP_INST
	OFPBIC_BAD_TABLE_ID
	OFPBIC_UNSUP_METADATA
	OFPBIC_UNSUP_METADATA_MASK
	OFPBIC_BAD_EXPERIMENTER
	OFPBIC_BAD_EXP_TYPE
	OFPBIC_BAD_LEN
	OFPBIC_EPERM
	OFPBIC_DUP_INST
	OFPBMC_BAD_TYPE
	OFPBMC_BAD_LEN
	OFPBMC_BAD_TAG
	OFPBMC_BAD_DL_ADDR_MASK
	OFPBMC_BAD_NW_ADDR_MASK
	OFPBMC_BAD_WILDCARDS
	OFPBMC_BAD_FIELD
	OFPBMC_BAD_VALUE
	OFPBMC_BAD_MASK
	OFPBMC_BAD_PREREQ
	OFPBMC_DUP_FIELD
	OFPBMC_EPERM
	OFPFMFC_UNKNOWN
	OFPFMFC_TABLE_FULL
	OFPFMFC_BAD_TABLE_ID
	OFPFMFC_OVERLAP
	OFPFMFC_EPERM
	OFPFMFC_BAD_TIMEOUT
	OFPFMFC_BAD_EMERG_TIMEOUT
	OFPFMFC_BAD_COMMAND
	OFPFMFC_BAD_FLAGS
	OFPPMFC_BAD_PORT
	OFPPMFC_BAD_HW_ADDR
	NXTTMFC_BAD_COMMAND
	NXTTMFC_BAD_OPT_LEN
	NXTTMFC_BAD_FIELD_IDX
	NXTTMFC_TABLE_FULL
	NXTTMFC_ALREADY_MAPPED
	NXTTMFC_DUP_ENTRY
	NXTTMFC_INVALID_TLV_DEL
	NXFMFC_INVALID_TLV_FIELD
	numErrCodes
)

// errEnc is one wire encoding of an error: a standard (type, code) when
// vendor is 0, else a vendor (Nicira) type and code.
type errEnc struct {
	ok     bool
	vendor uint32
	typ    uint16
	code   uint16
}

// errInfo gives an ErrCode's name and its encodings in OpenFlow 1.0 and in
// 1.1+ (OVS include/openvswitch/ofp-errors.h). For NX1.2+ errors typ is
// the experimenter error type and code is unused.
type errInfo struct {
	name   string
	of10   errEnc
	of11up errEnc
}

func of(t, c uint16) errEnc { return errEnc{ok: true, typ: t, code: c} }
func nx(t, c uint16) errEnc { return errEnc{ok: true, vendor: NXVendorID, typ: t, code: c} }

// Standard error types.
const (
	OFPET_HELLO_FAILED    = 0
	OFPET_BAD_REQUEST     = 1
	OFPET_BAD_ACTION      = 2
	OFPET10_FLOW_MOD      = 3 // OFPET_FLOW_MOD_FAILED in OpenFlow 1.0
	OFPET10_PORT_MOD      = 4 // OFPET_PORT_MOD_FAILED in OpenFlow 1.0
	OFPET11_BAD_INST      = 3
	OFPET11_BAD_MATCH     = 4
	OFPET11_FLOW_MOD      = 5
	OFPET11_PORT_MOD      = 7
	OFPET12_EXPERIMENTER  = 0xffff
	NXET_VENDOR           = 0xb0c2 // OpenFlow 1.0 Nicira vendor error type
	NXVC_VENDOR_ERROR     = 0      // its code
	nxVendorErrorBodySize = 8      // struct nx_vendor_error
)

var errTable = [numErrCodes]errInfo{
	OFPHFC_INCOMPATIBLE:        {"OFPHFC_INCOMPATIBLE", of(0, 0), of(0, 0)},
	OFPHFC_EPERM:               {"OFPHFC_EPERM", of(0, 1), of(0, 1)},
	OFPBRC_BAD_VERSION:         {"OFPBRC_BAD_VERSION", of(1, 0), of(1, 0)},
	OFPBRC_BAD_TYPE:            {"OFPBRC_BAD_TYPE", of(1, 1), of(1, 1)},
	OFPBRC_BAD_STAT:            {"OFPBRC_BAD_STAT", of(1, 2), of(1, 2)},
	OFPBRC_BAD_VENDOR:          {"OFPBRC_BAD_VENDOR", of(1, 3), of(1, 3)},
	OFPBRC_BAD_SUBTYPE:         {"OFPBRC_BAD_SUBTYPE", of(1, 4), of(1, 4)},
	OFPBRC_EPERM:               {"OFPBRC_EPERM", of(1, 5), of(1, 5)},
	OFPBRC_BAD_LEN:             {"OFPBRC_BAD_LEN", of(1, 6), of(1, 6)},
	OFPBRC_BUFFER_EMPTY:        {"OFPBRC_BUFFER_EMPTY", of(1, 7), of(1, 7)},
	OFPBRC_BUFFER_UNKNOWN:      {"OFPBRC_BUFFER_UNKNOWN", of(1, 8), of(1, 8)},
	OFPBRC_BAD_TABLE_ID:        {"OFPBRC_BAD_TABLE_ID", nx(1, 512), of(1, 9)},
	OFPBRC_BAD_PORT:            {"OFPBRC_BAD_PORT", nx(1, 514), of(1, 11)},
	OFPBRC_BAD_PACKET:          {"OFPBRC_BAD_PACKET", errEnc{}, of(1, 12)},
	NXBRC_NXM_INVALID:          {"NXBRC_NXM_INVALID", nx(1, 256), nx(2, 0)},
	NXBRC_NXM_BAD_TYPE:         {"NXBRC_NXM_BAD_TYPE", nx(1, 257), nx(3, 0)},
	NXBRC_MUST_BE_ZERO:         {"NXBRC_MUST_BE_ZERO", nx(1, 515), nx(4, 0)},
	NXBRC_BAD_REASON:           {"NXBRC_BAD_REASON", nx(1, 516), nx(5, 0)},
	NXBRC_UNENCODABLE_ERROR:    {"NXBRC_UNENCODABLE_ERROR", nx(1, 521), nx(10, 0)},
	OFPBAC_BAD_TYPE:            {"OFPBAC_BAD_TYPE", of(2, 0), of(2, 0)},
	OFPBAC_BAD_LEN:             {"OFPBAC_BAD_LEN", of(2, 1), of(2, 1)},
	OFPBAC_BAD_VENDOR:          {"OFPBAC_BAD_VENDOR", of(2, 2), of(2, 2)},
	OFPBAC_BAD_VENDOR_TYPE:     {"OFPBAC_BAD_VENDOR_TYPE", of(2, 3), of(2, 3)},
	OFPBAC_BAD_OUT_PORT:        {"OFPBAC_BAD_OUT_PORT", of(2, 4), of(2, 4)},
	OFPBAC_BAD_ARGUMENT:        {"OFPBAC_BAD_ARGUMENT", of(2, 5), of(2, 5)},
	OFPBAC_EPERM:               {"OFPBAC_EPERM", of(2, 6), of(2, 6)},
	OFPBAC_TOO_MANY:            {"OFPBAC_TOO_MANY", of(2, 7), of(2, 7)},
	OFPBAC_BAD_QUEUE:           {"OFPBAC_BAD_QUEUE", of(2, 8), of(2, 8)},
	OFPBAC_BAD_OUT_GROUP:       {"OFPBAC_BAD_OUT_GROUP", errEnc{}, of(2, 9)},
	OFPBAC_MATCH_INCONSISTENT:  {"OFPBAC_MATCH_INCONSISTENT", nx(1, 522), of(2, 10)},
	OFPBAC_UNSUPPORTED_ORDER:   {"OFPBAC_UNSUPPORTED_ORDER", errEnc{}, of(2, 11)},
	OFPBAC_BAD_TAG:             {"OFPBAC_BAD_TAG", errEnc{}, of(2, 12)},
	OFPBAC_BAD_SET_TYPE:        {"OFPBAC_BAD_SET_TYPE", nx(1, 523), of(2, 13)},
	OFPBAC_BAD_SET_LEN:         {"OFPBAC_BAD_SET_LEN", nx(1, 524), of(2, 14)},
	OFPBAC_BAD_SET_ARGUMENT:    {"OFPBAC_BAD_SET_ARGUMENT", nx(1, 525), of(2, 15)},
	OFPBAC_BAD_SET_MASK:        {"OFPBAC_BAD_SET_MASK", errEnc{}, errEnc{ok: true, vendor: ONFVendorID, typ: 4250}},
	NXBAC_MUST_BE_ZERO:         {"NXBAC_MUST_BE_ZERO", nx(2, 256), nx(11, 0)},
	OFPBIC_UNKNOWN_INST:        {"OFPBIC_UNKNOWN_INST", errEnc{}, of(3, 0)},
	OFPBIC_UNSUP_INST:          {"OFPBIC_UNSUP_INST", nx(2, 257), of(3, 1)},
	OFPBIC_BAD_TABLE_ID:        {"OFPBIC_BAD_TABLE_ID", errEnc{}, of(3, 2)},
	OFPBIC_UNSUP_METADATA:      {"OFPBIC_UNSUP_METADATA", errEnc{}, of(3, 3)},
	OFPBIC_UNSUP_METADATA_MASK: {"OFPBIC_UNSUP_METADATA_MASK", errEnc{}, of(3, 4)},
	OFPBIC_BAD_EXPERIMENTER:    {"OFPBIC_BAD_EXPERIMENTER", errEnc{}, of(3, 5)},
	OFPBIC_BAD_EXP_TYPE:        {"OFPBIC_BAD_EXP_TYPE", errEnc{}, of(3, 6)},
	OFPBIC_BAD_LEN:             {"OFPBIC_BAD_LEN", errEnc{}, of(3, 7)},
	OFPBIC_EPERM:               {"OFPBIC_EPERM", errEnc{}, of(3, 8)},
	OFPBIC_DUP_INST:            {"OFPBIC_DUP_INST", errEnc{}, errEnc{ok: true, vendor: ONFVendorID, typ: 2600}},
	OFPBMC_BAD_TYPE:            {"OFPBMC_BAD_TYPE", errEnc{}, of(4, 0)},
	OFPBMC_BAD_LEN:             {"OFPBMC_BAD_LEN", errEnc{}, of(4, 1)},
	OFPBMC_BAD_TAG:             {"OFPBMC_BAD_TAG", errEnc{}, of(4, 2)},
	OFPBMC_BAD_DL_ADDR_MASK:    {"OFPBMC_BAD_DL_ADDR_MASK", errEnc{}, of(4, 3)},
	OFPBMC_BAD_NW_ADDR_MASK:    {"OFPBMC_BAD_NW_ADDR_MASK", errEnc{}, of(4, 4)},
	OFPBMC_BAD_WILDCARDS:       {"OFPBMC_BAD_WILDCARDS", nx(1, 262), of(4, 5)},
	OFPBMC_BAD_FIELD:           {"OFPBMC_BAD_FIELD", nx(0, 263), of(4, 6)},
	OFPBMC_BAD_VALUE:           {"OFPBMC_BAD_VALUE", nx(1, 258), of(4, 7)},
	OFPBMC_BAD_MASK:            {"OFPBMC_BAD_MASK", nx(1, 259), of(4, 8)},
	OFPBMC_BAD_PREREQ:          {"OFPBMC_BAD_PREREQ", nx(1, 260), of(4, 9)},
	OFPBMC_DUP_FIELD:           {"OFPBMC_DUP_FIELD", nx(1, 261), of(4, 10)},
	OFPBMC_EPERM:               {"OFPBMC_EPERM", errEnc{}, of(4, 11)},
	OFPFMFC_UNKNOWN:            {"OFPFMFC_UNKNOWN", errEnc{}, of(5, 0)},
	OFPFMFC_TABLE_FULL:         {"OFPFMFC_TABLE_FULL", of(3, 0), of(5, 1)},
	OFPFMFC_BAD_TABLE_ID:       {"OFPFMFC_BAD_TABLE_ID", errEnc{}, of(5, 2)},
	OFPFMFC_OVERLAP:            {"OFPFMFC_OVERLAP", of(3, 1), of(5, 3)},
	OFPFMFC_EPERM:              {"OFPFMFC_EPERM", of(3, 2), of(5, 4)},
	OFPFMFC_BAD_TIMEOUT:        {"OFPFMFC_BAD_TIMEOUT", errEnc{}, of(5, 5)},
	OFPFMFC_BAD_EMERG_TIMEOUT:  {"OFPFMFC_BAD_EMERG_TIMEOUT", of(3, 3), errEnc{}},
	OFPFMFC_BAD_COMMAND:        {"OFPFMFC_BAD_COMMAND", of(3, 4), of(5, 6)},
	OFPFMFC_BAD_FLAGS:          {"OFPFMFC_BAD_FLAGS", nx(3, 258), of(5, 7)},
	OFPPMFC_BAD_PORT:           {"OFPPMFC_BAD_PORT", of(4, 0), of(7, 0)},
	OFPPMFC_BAD_HW_ADDR:        {"OFPPMFC_BAD_HW_ADDR", of(4, 1), of(7, 1)},
	NXTTMFC_BAD_COMMAND:        {"NXTTMFC_BAD_COMMAND", nx(1, 527), nx(16, 0)},
	NXTTMFC_BAD_OPT_LEN:        {"NXTTMFC_BAD_OPT_LEN", nx(1, 528), nx(17, 0)},
	NXTTMFC_BAD_FIELD_IDX:      {"NXTTMFC_BAD_FIELD_IDX", nx(1, 529), nx(18, 0)},
	NXTTMFC_TABLE_FULL:         {"NXTTMFC_TABLE_FULL", nx(1, 530), nx(19, 0)},
	NXTTMFC_ALREADY_MAPPED:     {"NXTTMFC_ALREADY_MAPPED", nx(1, 531), nx(20, 0)},
	NXTTMFC_DUP_ENTRY:          {"NXTTMFC_DUP_ENTRY", nx(1, 532), nx(21, 0)},
	NXTTMFC_INVALID_TLV_DEL:    {"NXTTMFC_INVALID_TLV_DEL", nx(1, 537), nx(38, 0)},
	NXFMFC_INVALID_TLV_FIELD:   {"NXFMFC_INVALID_TLV_FIELD", nx(1, 536), nx(37, 0)},
}

// String returns the OVS name of the error ("OFPBRC_BAD_TYPE").
func (c ErrCode) String() string {
	if c < numErrCodes && errTable[c].name != "" {
		return errTable[c].name
	}
	return fmt.Sprintf("ErrCode(%d)", uint16(c))
}

// wireFor returns how c is sent in version v. An error with no encoding
// in v is sent as NXBRC_UNENCODABLE_ERROR, as OVS does.
func (c ErrCode) wireFor(v uint8) errEnc {
	if c >= numErrCodes {
		c = NXBRC_UNENCODABLE_ERROR
	}
	e := errTable[c].of11up
	if v == Version10 {
		e = errTable[c].of10
	}
	if !e.ok {
		return NXBRC_UNENCODABLE_ERROR.wireFor(v)
	}
	return e
}

// ErrCodeByName returns the ErrCode with OVS name n ("OFPBAC_BAD_TYPE"),
// or ErrNone.
func ErrCodeByName(n string) ErrCode {
	for c := ErrCode(1); c < numErrCodes; c++ {
		if errTable[c].name == n {
			return c
		}
	}
	return ErrNone
}

// errCodeFromWire maps a received error back to an ErrCode (ErrNone if
// unknown).
func errCodeFromWire(v uint8, vendor uint32, typ, code uint16) ErrCode {
	for c := ErrCode(1); c < numErrCodes; c++ {
		e := errTable[c].of11up
		if v == Version10 {
			e = errTable[c].of10
		}
		if !e.ok || e.vendor != vendor || e.typ != typ {
			continue
		}
		if vendor != 0 && v != Version10 {
			return c // NX1.2+: the type alone names it
		}
		if e.code == code {
			return c
		}
	}
	return ErrNone
}

// Error is a protocol error found while decoding (or refusing) a message.
// Code is what a switch must send back in an OFPT_ERROR (see Reply);
// Detail says what exactly was wrong, for logs.
type Error struct {
	Code   ErrCode
	Detail string
}

func (e *Error) Error() string {
	if e.Detail == "" {
		return e.Code.String()
	}
	return e.Code.String() + ": " + e.Detail
}

// Is lets errors.Is match on the code alone.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code && t.Detail == ""
}

func newErr(c ErrCode, format string, args ...any) *Error {
	return &Error{Code: c, Detail: fmt.Sprintf(format, args...)}
}

// maxErrorData is how much of the offending request an error reply
// carries (OVS ofperr_encode_reply: at most 64 bytes).
const maxErrorData = 64

// Reply builds the OFPT_ERROR message a switch sends for this error in
// answer to request (the raw bytes of the offending message; its version
// and xid are used, and its first 64 bytes are echoed as data). If request
// is shorter than a header, version and xid are zero.
func (e *Error) Reply(request []byte) *ErrorMsg {
	var h Header
	_ = h.UnmarshalBinary(request)
	data := request
	if len(data) > maxErrorData {
		data = data[:maxErrorData]
	}
	return NewErrorMsg(e.Code, h.Version, h.Xid, append([]byte(nil), data...))
}

// AsError returns err as an *Error, wrapping any other error as
// OFPBRC_BAD_LEN (a message the codec could not parse).
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Code: OFPBRC_BAD_LEN, Detail: err.Error()}
}

var (
	errShort   = errors.New("ofp: message truncated")
	errTooLong = errors.New("ofp: message longer than 65535 bytes")
)
