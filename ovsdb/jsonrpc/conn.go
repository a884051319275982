package jsonrpc

import (
	"errors"
	"net"
	"sync"
	"time"
)

// Queue and timeout defaults.
const (
	DefaultMaxQueuedMessages = 4096
	DefaultMaxQueuedBytes    = 128 << 20
	DefaultWriteTimeout      = 30 * time.Second
)

// ErrQueueFull is returned by Send when the peer is not reading; the
// connection has been closed.
var ErrQueueFull = errors.New("jsonrpc: send queue full (peer not reading); connection closed")

// ErrClosed is returned by Send on a closed connection.
var ErrClosed = errors.New("jsonrpc: connection closed")

// Options tunes a Conn; zero fields take the defaults.
type Options struct {
	MaxMessageSize    int
	MaxQueuedMessages int
	MaxQueuedBytes    int
	WriteTimeout      time.Duration
}

// Conn is a JSON-RPC connection. See the package doc for its concurrency
// contract.
type Conn struct {
	nc    net.Conn
	dec   *Decoder
	opts  Options
	queue chan []byte
	done  chan struct{}

	mu struct {
		sync.Mutex
		queuedBytes int  // guarded by mu
		closed      bool // guarded by mu
		err         error
	}
	closeOnce sync.Once
}

// NewConn wraps nc and starts its writer goroutine.
func NewConn(nc net.Conn, opts Options) *Conn {
	if opts.MaxMessageSize <= 0 {
		opts.MaxMessageSize = DefaultMaxMessageSize
	}
	if opts.MaxQueuedMessages <= 0 {
		opts.MaxQueuedMessages = DefaultMaxQueuedMessages
	}
	if opts.MaxQueuedBytes <= 0 {
		opts.MaxQueuedBytes = DefaultMaxQueuedBytes
	}
	if opts.WriteTimeout <= 0 {
		opts.WriteTimeout = DefaultWriteTimeout
	}
	c := &Conn{
		nc:    nc,
		dec:   NewDecoder(nc, opts.MaxMessageSize),
		opts:  opts,
		queue: make(chan []byte, opts.MaxQueuedMessages),
		done:  make(chan struct{}),
	}
	go c.writer()
	return c
}

// RemoteAddr returns the peer's address.
func (c *Conn) RemoteAddr() net.Addr { return c.nc.RemoteAddr() }

// Receive reads the next message. Only one goroutine may call it. A framing
// or syntax error is returned and the caller should Close the connection.
func (c *Conn) Receive() (*Message, error) {
	b, err := c.dec.Next()
	if err != nil {
		return nil, err
	}
	return Parse(b)
}

// Send queues m for writing without blocking. If the queue is full the
// connection is closed and ErrQueueFull returned.
func (c *Conn) Send(m *Message) error {
	b, err := m.encode()
	if err != nil {
		return err
	}
	c.mu.Lock()
	if c.mu.closed {
		c.mu.Unlock()
		return ErrClosed
	}
	if c.mu.queuedBytes+len(b) > c.opts.MaxQueuedBytes && c.mu.queuedBytes > 0 {
		c.mu.Unlock()
		c.closeWith(ErrQueueFull)
		return ErrQueueFull
	}
	select {
	case c.queue <- b:
		c.mu.queuedBytes += len(b)
		c.mu.Unlock()
		return nil
	default:
		c.mu.Unlock()
		c.closeWith(ErrQueueFull)
		return ErrQueueFull
	}
}

func (c *Conn) writer() {
	for {
		select {
		case <-c.done:
			return
		case b := <-c.queue:
			if err := c.nc.SetWriteDeadline(time.Now().Add(c.opts.WriteTimeout)); err != nil {
				c.closeWith(err)
				return
			}
			_, err := c.nc.Write(b)
			c.mu.Lock()
			c.mu.queuedBytes -= len(b)
			c.mu.Unlock()
			if err != nil {
				c.closeWith(err)
				return
			}
		}
	}
}

// Flush waits until the send queue is empty or the connection closes or
// timeout passes; it reports whether the queue drained.
func (c *Conn) Flush(timeout time.Duration) bool {
	const poll = time.Millisecond
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		c.mu.Lock()
		empty := c.mu.queuedBytes == 0 && len(c.queue) == 0
		closed := c.mu.closed
		c.mu.Unlock()
		if empty || closed {
			return empty
		}
		time.Sleep(poll)
	}
	return false
}

func (c *Conn) closeWith(err error) {
	c.closeOnce.Do(func() {
		c.mu.Lock()
		c.mu.closed = true
		c.mu.err = err
		c.mu.Unlock()
		close(c.done)
		c.nc.Close()
	})
}

// Close closes the connection; queued messages are dropped.
func (c *Conn) Close() error {
	c.closeWith(ErrClosed)
	return nil
}

// Done is closed when the connection is closed.
func (c *Conn) Done() <-chan struct{} { return c.done }

// Err returns why the connection closed (nil while open).
func (c *Conn) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.mu.err
}
