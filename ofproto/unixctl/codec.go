package unixctl

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// MaxMessageSize bounds one JSON-RPC message (request or reply).
const MaxMessageSize = 4 << 20

// Request is one decoded unixctl request.
type Request struct {
	Method string
	Params []string
	// ID is the request id as sent (any JSON value), echoed in the reply.
	ID json.RawMessage
}

// wireRequest is the JSON shape of a request.
type wireRequest struct {
	Method *string          `json:"method"`
	Params json.RawMessage  `json:"params"`
	ID     *json.RawMessage `json:"id"`
}

// Errors from DecodeRequest.
var (
	ErrNotRequest = errors.New("unixctl: message is not a JSON-RPC request")
)

// ParamError reports a request whose params are not all strings; its
// message is OVS's.
type ParamError struct{ Param string }

func (e *ParamError) Error() string { return "command has non-string argument: " + e.Param }

// DecodeRequest decodes one JSON-RPC request. A message that is not a
// request (no method, no id, params not an array) yields an error
// wrapping ErrNotRequest; an array with a non-string element yields a
// *ParamError (the request is otherwise valid and gets an error reply).
func DecodeRequest(data []byte) (*Request, error) {
	if len(data) > MaxMessageSize {
		return nil, fmt.Errorf("%w: %d bytes exceeds %d", ErrNotRequest, len(data), MaxMessageSize)
	}
	var w wireRequest
	if err := json.Unmarshal(data, &w); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotRequest, err)
	}
	if w.Method == nil || w.ID == nil {
		return nil, fmt.Errorf("%w: missing method or id", ErrNotRequest)
	}
	req := &Request{Method: *w.Method, ID: append(json.RawMessage(nil), (*w.ID)...)}
	p := bytes.TrimSpace(w.Params)
	if len(p) == 0 || bytes.Equal(p, []byte("null")) {
		return req, nil
	}
	var raw []json.RawMessage
	if err := json.Unmarshal(p, &raw); err != nil {
		return nil, fmt.Errorf("%w: params is not an array", ErrNotRequest)
	}
	req.Params = make([]string, 0, len(raw))
	for _, r := range raw {
		var s string
		if err := json.Unmarshal(r, &s); err != nil {
			return req, &ParamError{Param: string(bytes.TrimSpace(r))}
		}
		req.Params = append(req.Params, s)
	}
	return req, nil
}

// EncodeRequest encodes a request as ovs-appctl sends it.
func EncodeRequest(method string, params []string, id int) ([]byte, error) {
	if params == nil {
		params = []string{}
	}
	return json.Marshal(struct {
		ID     int      `json:"id"`
		Method string   `json:"method"`
		Params []string `json:"params"`
	}{id, method, params})
}

// okReply and errReply are the two reply shapes of lib/unixctl.c.
type okReply struct {
	ID     json.RawMessage `json:"id"`
	Result string          `json:"result"`
	Error  *string         `json:"error"`
}

type errReply struct {
	ID    json.RawMessage `json:"id"`
	Error string          `json:"error"`
}

// EncodeReply encodes the reply to a request with id: a result when
// errText is empty and failed is false, otherwise an error.
func EncodeReply(id json.RawMessage, result string, failed bool, errText string) ([]byte, error) {
	if len(id) == 0 {
		id = json.RawMessage("null")
	}
	if failed {
		return json.Marshal(errReply{ID: id, Error: errText})
	}
	return json.Marshal(okReply{ID: id, Result: result})
}

// Reply is a decoded reply.
type Reply struct {
	Result string
	// Failed is true for an error reply; Error is its text.
	Failed bool
	Error  string
}

// DecodeReply decodes one reply. OVS sends strings; any other JSON value
// in result or error is rendered as JSON text.
func DecodeReply(data []byte) (*Reply, error) {
	var w struct {
		Result json.RawMessage `json:"result"`
		Error  json.RawMessage `json:"error"`
	}
	if err := json.Unmarshal(data, &w); err != nil {
		return nil, fmt.Errorf("unixctl: bad reply: %v", err)
	}
	r := &Reply{}
	if e := bytes.TrimSpace(w.Error); len(e) > 0 && !bytes.Equal(e, []byte("null")) {
		r.Failed = true
		r.Error = jsonText(e)
		return r, nil
	}
	if res := bytes.TrimSpace(w.Result); len(res) > 0 && !bytes.Equal(res, []byte("null")) {
		r.Result = jsonText(res)
	}
	return r, nil
}

// jsonText returns a JSON string's value, or the JSON text of any other value.
func jsonText(v json.RawMessage) string {
	var s string
	if json.Unmarshal(v, &s) == nil {
		return s
	}
	return string(v)
}
