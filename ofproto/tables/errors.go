package tables

import "fmt"

// Error is a flow-mod failure carrying the OpenFlow error a switch
// replies with. Code is OVS's ofperr name ("OFPFMFC_OVERLAP",
// "OFPBRC_BAD_TABLE_ID", "OFPBAC_BAD_OUT_PORT"...), which the wire codec
// maps to the (type, code) of the connection's version.
type Error struct {
	Code   string
	Detail string
}

func (e *Error) Error() string {
	if e.Detail == "" {
		return e.Code
	}
	return e.Code + ": " + e.Detail
}

// OpenFlow error names returned by Apply.
const (
	CodeOverlap      = "OFPFMFC_OVERLAP"
	CodeBadCommand   = "OFPFMFC_BAD_COMMAND"
	CodeBadTableID   = "OFPBRC_BAD_TABLE_ID"
	CodeEPerm        = "OFPBRC_EPERM"
	CodeBadOutPort   = "OFPBAC_BAD_OUT_PORT"
	CodeBadInstTable = "OFPBIC_BAD_TABLE_ID"
)

func errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Detail: fmt.Sprintf(format, args...)}
}
