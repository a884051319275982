package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"

	"govs/ovsdb/jsonrpc"
	"govs/ovsdb/schema"
)

// ErrClosed is returned by calls on a closed client.
var ErrClosed = errors.New("ovsdb client: connection closed")

// RPCError is a JSON-RPC error reply.
type RPCError struct {
	Method string
	Raw    json.RawMessage
}

func (e *RPCError) Error() string { return fmt.Sprintf("ovsdb %s: %s", e.Method, e.Raw) }

// Client is one connection to an OVSDB server.
type Client struct {
	conn *jsonrpc.Conn

	mu struct {
		sync.Mutex
		nextID   uint64                           // guarded by mu
		pending  map[string]chan *jsonrpc.Message // guarded by mu
		monitors map[string]*Monitor              // guarded by mu
		schemas  map[string]*schema.Schema        // guarded by mu
		onLock   func(name string, locked bool)   // guarded by mu
	}
	done chan struct{}
}

// Dial connects to "unix:<path>" or "tcp:<host>:<port>".
func Dial(ctx context.Context, remote string) (*Client, error) {
	var network, addr string
	switch {
	case strings.HasPrefix(remote, "unix:"):
		network, addr = "unix", strings.TrimPrefix(remote, "unix:")
	case strings.HasPrefix(remote, "tcp:"):
		network, addr = "tcp", strings.TrimPrefix(remote, "tcp:")
	default:
		return nil, fmt.Errorf("ovsdb client: unsupported remote %q (want unix: or tcp:)", remote)
	}
	var d net.Dialer
	nc, err := d.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	return New(nc), nil
}

// New wraps an established connection.
func New(nc net.Conn) *Client {
	c := &Client{conn: jsonrpc.NewConn(nc, jsonrpc.Options{}), done: make(chan struct{})}
	c.mu.pending = map[string]chan *jsonrpc.Message{}
	c.mu.monitors = map[string]*Monitor{}
	c.mu.schemas = map[string]*schema.Schema{}
	go c.reader()
	return c
}

// Close closes the connection; pending calls fail with ErrClosed.
func (c *Client) Close() error {
	c.conn.Close()
	<-c.done
	return nil
}

// Done is closed when the connection has gone.
func (c *Client) Done() <-chan struct{} { return c.done }

// OnLock sets the callback for "locked" (true) and "stolen" (false)
// notifications.
func (c *Client) OnLock(fn func(name string, locked bool)) {
	c.mu.Lock()
	c.mu.onLock = fn
	c.mu.Unlock()
}

func (c *Client) reader() {
	defer func() {
		c.conn.Close()
		c.mu.Lock()
		for id, ch := range c.mu.pending {
			close(ch)
			delete(c.mu.pending, id)
		}
		c.mu.Unlock()
		close(c.done)
	}()
	for {
		msg, err := c.conn.Receive()
		if err != nil {
			return
		}
		switch {
		case msg.IsResponse():
			c.mu.Lock()
			ch := c.mu.pending[string(msg.ID)]
			delete(c.mu.pending, string(msg.ID))
			c.mu.Unlock()
			if ch != nil {
				ch <- msg
			}
		case msg.IsRequest():
			if msg.Method == "echo" {
				if r, err := jsonrpc.NewResponse(msg.ID, json.RawMessage(msg.Params)); err == nil {
					_ = c.conn.Send(r)
				}
			} else if r, err := jsonrpc.NewErrorResponse(msg.ID, "unknown method"); err == nil {
				_ = c.conn.Send(r)
			}
		case msg.IsNotification():
			c.notification(msg)
		}
	}
}

func (c *Client) notification(msg *jsonrpc.Message) {
	var params []json.RawMessage
	if err := json.Unmarshal(msg.Params, &params); err != nil || len(params) == 0 {
		return
	}
	switch msg.Method {
	case "update", "update2", "update3":
		c.mu.Lock()
		m := c.mu.monitors[string(compact(params[0]))]
		c.mu.Unlock()
		if m != nil {
			m.deliver(msg.Method, params)
		}
	case "locked", "stolen":
		var name string
		if json.Unmarshal(params[0], &name) != nil {
			return
		}
		c.mu.Lock()
		fn := c.mu.onLock
		c.mu.Unlock()
		if fn != nil {
			fn(name, msg.Method == "locked")
		}
	}
}

func compact(r json.RawMessage) []byte {
	var b bytes.Buffer
	if json.Compact(&b, r) != nil {
		return r
	}
	return b.Bytes()
}

// Call sends a request and waits for its reply's result.
func (c *Client) Call(ctx context.Context, method string, params []any) (json.RawMessage, error) {
	c.mu.Lock()
	c.mu.nextID++
	id := strconv.FormatUint(c.mu.nextID, 10)
	ch := make(chan *jsonrpc.Message, 1)
	c.mu.pending[id] = ch
	c.mu.Unlock()
	cleanup := func() {
		c.mu.Lock()
		delete(c.mu.pending, id)
		c.mu.Unlock()
	}
	if params == nil {
		params = []any{}
	}
	req, err := jsonrpc.NewRequest(json.RawMessage(id), method, params)
	if err != nil {
		cleanup()
		return nil, err
	}
	if err := c.conn.Send(req); err != nil {
		cleanup()
		return nil, err
	}
	select {
	case msg, ok := <-ch:
		if !ok {
			return nil, ErrClosed
		}
		if msg.HasError() {
			return nil, &RPCError{Method: method, Raw: msg.Error}
		}
		return msg.Result, nil
	case <-ctx.Done():
		cleanup()
		return nil, ctx.Err()
	case <-c.done:
		return nil, ErrClosed
	}
}

func decode(raw json.RawMessage, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	return dec.Decode(v)
}

// Echo round-trips an echo request.
func (c *Client) Echo(ctx context.Context) error {
	_, err := c.Call(ctx, "echo", []any{"govs"})
	return err
}

// ListDBs returns the server's database names.
func (c *Client) ListDBs(ctx context.Context) ([]string, error) {
	raw, err := c.Call(ctx, "list_dbs", nil)
	if err != nil {
		return nil, err
	}
	var names []string
	return names, json.Unmarshal(raw, &names)
}

// GetSchema fetches (and caches) a database schema.
func (c *Client) GetSchema(ctx context.Context, db string) (*schema.Schema, error) {
	c.mu.Lock()
	s := c.mu.schemas[db]
	c.mu.Unlock()
	if s != nil {
		return s, nil
	}
	raw, err := c.Call(ctx, "get_schema", []any{db})
	if err != nil {
		return nil, err
	}
	var v any
	if err := decode(raw, &v); err != nil {
		return nil, err
	}
	s, err = schema.FromJSON(v)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.mu.schemas[db] = s
	c.mu.Unlock()
	return s, nil
}

// Lock requests lock name; it reports whether it was granted at once
// (otherwise a "locked" callback follows when it is).
func (c *Client) Lock(ctx context.Context, name string) (bool, error) {
	return c.lockCall(ctx, "lock", name)
}

// Steal takes lock name from its owner.
func (c *Client) Steal(ctx context.Context, name string) (bool, error) {
	return c.lockCall(ctx, "steal", name)
}

// Unlock releases lock name.
func (c *Client) Unlock(ctx context.Context, name string) error {
	_, err := c.Call(ctx, "unlock", []any{name})
	return err
}

func (c *Client) lockCall(ctx context.Context, method, name string) (bool, error) {
	raw, err := c.Call(ctx, method, []any{name})
	if err != nil {
		return false, err
	}
	var r struct {
		Locked bool `json:"locked"`
	}
	return r.Locked, json.Unmarshal(raw, &r)
}
