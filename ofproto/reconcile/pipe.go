package reconcile

import (
	"context"
	"net"
	"sync"

	"govs/ovsdb/client"
)

// PipeListener is an in-process net.Listener: Dial hands one end of a
// net.Pipe to Accept. The daemon serves its embedded OVSDB server on it
// too, so embedded mode uses exactly the protocol path of external mode
// (client, monitor, lock, transact) without a socket.
type PipeListener struct {
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
}

// pipeAddr is the address of pipe connections.
type pipeAddr struct{}

func (pipeAddr) Network() string { return "pipe" }
func (pipeAddr) String() string  { return "in-process" }

// NewPipeListener returns an open PipeListener.
func NewPipeListener() *PipeListener {
	return &PipeListener{conns: make(chan net.Conn), done: make(chan struct{})}
}

// Accept implements net.Listener.
func (l *PipeListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

// Close implements net.Listener.
func (l *PipeListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return nil
}

// Addr implements net.Listener.
func (l *PipeListener) Addr() net.Addr { return pipeAddr{} }

// DialConn returns the client end of a new connection.
func (l *PipeListener) DialConn(ctx context.Context) (net.Conn, error) {
	a, b := net.Pipe()
	select {
	case l.conns <- b:
		return a, nil
	case <-l.done:
		_ = a.Close()
		_ = b.Close()
		return nil, net.ErrClosed
	case <-ctx.Done():
		_ = a.Close()
		_ = b.Close()
		return nil, ctx.Err()
	}
}

// Dial returns an OVSDB client over a new connection (a Config.Dial).
func (l *PipeListener) Dial(ctx context.Context) (*client.Client, error) {
	c, err := l.DialConn(ctx)
	if err != nil {
		return nil, err
	}
	return client.New(c), nil
}

// RemoteDial returns a Config.Dial for an OVSDB remote ("unix:<path>",
// "tcp:<host>:<port>").
func RemoteDial(remote string) func(ctx context.Context) (*client.Client, error) {
	return func(ctx context.Context) (*client.Client, error) { return client.Dial(ctx, remote) }
}
