package jsonrpc

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Message is one JSON-RPC 1.0 message. A request has Method and a non-null
// ID; a notification has Method and a null (or absent) ID; a response has
// no Method, an ID, and Result or Error.
type Message struct {
	Method string          `json:"method,omitempty"`
	Params json.RawMessage `json:"params,omitempty"`
	Result json.RawMessage `json:"result,omitempty"`
	Error  json.RawMessage `json:"error,omitempty"`
	ID     json.RawMessage `json:"id,omitempty"`
}

var jsonNull = []byte("null")

func isNull(r json.RawMessage) bool {
	return len(bytes.TrimSpace(r)) == 0 || bytes.Equal(bytes.TrimSpace(r), jsonNull)
}

// IsRequest reports whether m is a request.
func (m *Message) IsRequest() bool { return m.Method != "" && !isNull(m.ID) }

// IsNotification reports whether m is a notification.
func (m *Message) IsNotification() bool { return m.Method != "" && isNull(m.ID) }

// IsResponse reports whether m is a response (result or error).
func (m *Message) IsResponse() bool { return m.Method == "" && !isNull(m.ID) }

// HasError reports whether a response carries a non-null error.
func (m *Message) HasError() bool { return !isNull(m.Error) }

// Parse decodes one framed message and validates its shape.
func Parse(b []byte) (*Message, error) {
	var m Message
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("jsonrpc: %w", err)
	}
	if m.Method == "" && isNull(m.ID) {
		return nil, fmt.Errorf("jsonrpc: message has neither method nor id")
	}
	if m.Method != "" && !isNull(m.Params) && bytes.TrimSpace(m.Params)[0] != '[' {
		return nil, fmt.Errorf("jsonrpc: params must be an array")
	}
	return &m, nil
}

// encode renders m with the members JSON-RPC 1.0 requires (null where
// absent).
func (m *Message) encode() ([]byte, error) {
	var b bytes.Buffer
	or := func(r json.RawMessage, def string) []byte {
		if len(r) == 0 {
			return []byte(def)
		}
		return r
	}
	if m.Method != "" {
		mb, err := Marshal(m.Method)
		if err != nil {
			return nil, err
		}
		b.WriteString(`{"id":`)
		b.Write(or(m.ID, "null"))
		b.WriteString(`,"method":`)
		b.Write(mb)
		b.WriteString(`,"params":`)
		b.Write(or(m.Params, "[]"))
		b.WriteString(`}`)
		return b.Bytes(), nil
	}
	// As ovsdb-server: a success reply carries "error":null, an error
	// reply carries no "result".
	b.WriteString(`{"id":`)
	b.Write(or(m.ID, "null"))
	if isNull(m.Error) {
		b.WriteString(`,"result":`)
		b.Write(or(m.Result, "null"))
	}
	b.WriteString(`,"error":`)
	b.Write(or(m.Error, "null"))
	b.WriteString(`}`)
	return b.Bytes(), nil
}

func raw(v any) (json.RawMessage, error) {
	if r, ok := v.(json.RawMessage); ok {
		return r, nil
	}
	return Marshal(v)
}

// Marshal is json.Marshal without HTML escaping ("<" stays "<"), as
// ovsdb-server writes JSON.
func Marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// NewRequest builds a request; params must encode to a JSON array.
func NewRequest(id any, method string, params any) (*Message, error) {
	idr, err := raw(id)
	if err != nil {
		return nil, err
	}
	p, err := raw(params)
	if err != nil {
		return nil, err
	}
	return &Message{Method: method, Params: p, ID: idr}, nil
}

// NewNotification builds a notification (id null).
func NewNotification(method string, params any) (*Message, error) {
	p, err := raw(params)
	if err != nil {
		return nil, err
	}
	return &Message{Method: method, Params: p, ID: json.RawMessage(jsonNull)}, nil
}

// NewResponse builds a successful response to the request with id.
func NewResponse(id json.RawMessage, result any) (*Message, error) {
	r, err := raw(result)
	if err != nil {
		return nil, err
	}
	return &Message{Result: r, ID: id}, nil
}

// NewErrorResponse builds an error response; errv is the JSON error value
// (ovsdb-server uses a string or an {"error":..,"details":..} object).
func NewErrorResponse(id json.RawMessage, errv any) (*Message, error) {
	e, err := raw(errv)
	if err != nil {
		return nil, err
	}
	return &Message{Result: json.RawMessage(jsonNull), Error: e, ID: id}, nil
}
