package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// OVSDB error kinds (RFC 7047 section 4.1.3 plus ovsdb-server's own).
const (
	ErrSyntax         = "syntax error"
	ErrConstraint     = "constraint violation"
	ErrReferential    = "referential integrity violation"
	ErrResources      = "resources exhausted"
	ErrIO             = "I/O error"
	ErrDuplicateName  = "duplicate uuid-name"
	ErrDomain         = "domain error"
	ErrRange          = "range error"
	ErrTimedOut       = "timed out"
	ErrNotSupported   = "not supported"
	ErrAborted        = "aborted"
	ErrNotOwner       = "not owner"
	ErrUnknownDB      = "unknown database"
	ErrUnknownTable   = "unknown table"
	ErrUnknownColumn  = "unknown column"
	ErrUnknownOp      = "unknown operation"
	ErrUnknownMonitor = "unknown monitor"
)

// Error is an OVSDB error object: {"error": Kind, "details": Details}.
type Error struct {
	Kind    string `json:"error"`
	Details string `json:"details,omitempty"`
	// Syntax is the offending JSON text, as ovsdb-server reports it.
	Syntax string `json:"syntax,omitempty"`
}

// WithSyntax sets e.Syntax to the JSON encoding of v (unless already set)
// and returns e.
func (e *Error) WithSyntax(v any) *Error {
	if e.Syntax == "" {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		if enc.Encode(v) == nil {
			e.Syntax = strings.TrimRight(b.String(), "\n")
		}
	}
	return e
}

// NewError returns an *Error with formatted details.
func NewError(kind, format string, args ...any) *Error {
	return &Error{Kind: kind, Details: fmt.Sprintf(format, args...)}
}

func (e *Error) Error() string {
	if e.Details == "" {
		return e.Kind
	}
	return e.Kind + ": " + e.Details
}
