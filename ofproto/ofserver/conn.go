package ofserver

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"govs/ofproto/ofp"
)

// Buffer sizes.
const (
	// readBufSize is the per-connection read buffer (one maximal message).
	readBufSize = 1 << 16
	// initialBufCap is the capacity of a fresh output buffer: enough for a
	// packet-in of a full-size frame without growing.
	initialBufCap = 2048
	// maxPooledCap keeps huge multipart buffers out of the pool.
	maxPooledCap = 1 << 17
	// drainTimeout bounds writing what is still queued when a connection
	// is closed gracefully (HELLO_FAILED, peer EOF).
	drainTimeout = time.Second
	// freeSlack is how many buffers beyond the queue length a connection
	// keeps for reuse (the one being written, the ones being filled).
	freeSlack = 8
	// invalidTTLFlag is OFPC_INVALID_TTL_TO_CONTROLLER in switch config
	// flags.
	invalidTTLFlag = 1 << 2
	// flowModPeekLen is what ofp.IsFlowMod reads of a header: ofp_header
	// plus the Nicira vendor id and subtype.
	flowModPeekLen = ofp.HeaderLen + 8
)

// outBuf is one encoded message waiting for a connection's writer. pi is
// scratch space for encoding a packet-in without allocating.
type outBuf struct {
	b  []byte
	pi ofp.PacketIn
}

// getBuf takes a buffer from the connection's free list. Buffers cross
// goroutines (filled by the connection goroutine or by a datapath worker
// sending a packet-in, released by the writer), so each connection keeps
// a bounded free list, sized to cover every buffer that can be queued or
// in flight: once warm, a connection allocates no buffers.
func (c *conn) getBuf() *outBuf {
	select {
	case ob := <-c.free:
		return ob
	default:
		return &outBuf{b: make([]byte, 0, initialBufCap)}
	}
}

// putBuf returns ob to the free list (dropping huge buffers).
func (c *conn) putBuf(ob *outBuf) {
	if cap(ob.b) > maxPooledCap {
		return
	}
	ob.b = ob.b[:0]
	ob.pi.Data = nil
	select {
	case c.free <- ob:
	default:
	}
}

// conn is one OpenFlow connection. The reader goroutine (serve) decodes
// and applies messages in order; the writer goroutine owns writes to nc.
type conn struct {
	s    *Server
	nc   net.Conn
	kind ConnKind
	name string
	// target is the controller target (SetControllers) the connection
	// belongs to; "" for the management socket and Listen/Connect.
	target string

	// Read by asynchronous senders on any goroutine.
	ver         atomic.Uint32 // negotiated version; 0 before HELLO
	missSendLen atomic.Uint32
	invalidTTL  atomic.Bool

	out       chan *outBuf
	free      chan *outBuf  // recycled buffers (getBuf/putBuf)
	quit      chan struct{} // closed when the connection shuts down
	closeOnce sync.Once
	forced    atomic.Bool // nc closed without draining

	// Reader goroutine only.
	// applyFlowMod, when set, applies FLOW_MODs inside a
	// FlowModBatcher run; replies are then held in deferred.
	applyFlowMod func(*FlowMod) error
	deferred     []*outBuf
	flowFormat   ofp.FlowFormat
	tableIDExt   bool
	controllerID uint16
}

func newConn(s *Server, nc net.Conn, kind ConnKind) *conn {
	c := &conn{s: s, nc: nc, kind: kind, out: make(chan *outBuf, s.cfg.QueueLen), free: make(chan *outBuf, s.cfg.QueueLen+freeSlack), quit: make(chan struct{})}
	c.name = fmt.Sprintf("%s<->%s", nc.LocalAddr(), nc.RemoteAddr())
	if kind == KindController {
		c.missSendLen.Store(DefaultMissSendLen)
	}
	return c
}

func (c *conn) version() uint8 { return uint8(c.ver.Load()) }

// close shuts the connection down at once (Server.Close, write errors).
func (c *conn) close() {
	c.forced.Store(true)
	c.nc.Close()
	c.shutdown()
}

// shutdown stops the connection after the writer has sent what is queued.
func (c *conn) shutdown() { c.closeOnce.Do(func() { close(c.quit) }) }

// serve runs the connection: HELLO exchange, then one message at a time,
// in order, until EOF, a framing error or Close.
func (c *conn) serve() {
	writerDone := make(chan struct{})
	go c.writer(writerDone)
	defer func() {
		c.shutdown()
		<-writerDone
		c.s.dropConn(c)
	}()
	c.s.log.Debug("connection opened", "conn", c.name, "kind", c.kind.String())
	c.sendHello()
	r := bufio.NewReaderSize(c.nc, readBufSize)
	if !c.negotiate(r) {
		return
	}
	for {
		b, err := ofp.ReadMessage(r)
		if err != nil {
			if !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) {
				c.s.log.Info("connection dropped", "conn", c.name, "err", err)
			}
			return
		}
		c.s.nMsgs.Add(1)
		if fb, ok := c.s.sw.(FlowModBatcher); ok && ofp.IsFlowMod(b) && bufferedFlowMod(r) {
			c.flowModRun(fb, r, b)
			continue
		}
		c.handle(b)
	}
}

// flowModRun handles first and the FLOW_MODs that follow it whole in r's
// buffer inside one FlowModBatcher run, so that their table changes are
// published together. The run ends before any other message, when the
// buffered input ends, or after a message that was answered (an error):
// the answer is sent after the run is published, so replies keep their
// order with everything else, and a peer that does not read cannot hold
// the tables' writer lock.
func (c *conn) flowModRun(fb FlowModBatcher, r *bufio.Reader, first []byte) {
	fb.FlowModBatch(func(apply func(*FlowMod) error) {
		c.applyFlowMod = apply
		defer func() { c.applyFlowMod = nil }()
		c.handle(first)
		for len(c.deferred) == 0 && bufferedFlowMod(r) {
			b, err := ofp.ReadMessage(r) // whole in the buffer: cannot block or fail
			if err != nil {
				return
			}
			c.s.nMsgs.Add(1)
			c.handle(b)
		}
	})
	for i, ob := range c.deferred {
		c.enqueue(ob)
		c.deferred[i] = nil
	}
	c.deferred = c.deferred[:0]
}

// bufferedFlowMod reports whether r's buffer starts with a whole
// FLOW_MOD (OpenFlow or NXT_FLOW_MOD), so reading it cannot block.
func bufferedFlowMod(r *bufio.Reader) bool {
	n := r.Buffered()
	if n < ofp.HeaderLen {
		return false
	}
	hdr, _ := r.Peek(min(n, flowModPeekLen))
	l, _ := ofp.ReadLength(hdr)
	return l >= ofp.HeaderLen && l <= n && ofp.IsFlowMod(hdr)
}

// helloVersion returns the HELLO header version and bitmap for a version
// set, as ofputil_encode_hello: the bitmap is sent only when the set is not
// every version from 1.0 to its highest.
func helloFor(versions uint32) (uint8, uint32) {
	hi := highestVersion(versions)
	contiguous := uint32(1)<<(hi+1) - 1<<ofp.Version10
	if versions == contiguous {
		return hi, 0
	}
	return hi, versions
}

func highestVersion(versions uint32) uint8 {
	var hi uint8
	for v := uint8(ofp.Version10); v <= ofp.Version15; v++ {
		if versions&(1<<v) != 0 {
			hi = v
		}
	}
	return hi
}

func (c *conn) sendHello() {
	v, bitmap := helloFor(c.s.versions)
	h := &ofp.Hello{Header: ofp.Header{Version: v, Xid: 1}, Versions: bitmap}
	c.sendMsg(h)
}

// codecVersion reports whether the codec implements version v.
func codecVersion(v uint8) bool { return v == ofp.Version10 || v == ofp.Version13 }

// negotiate reads the peer's HELLO and agrees on a version (OVS
// vcs_recv_hello). Anything else first, or no common version, ends the
// connection (the latter after OFPT_ERROR HELLO_FAILED/INCOMPATIBLE).
func (c *conn) negotiate(r io.Reader) bool {
	b, err := ofp.ReadMessage(r)
	if err != nil {
		return false
	}
	c.s.nMsgs.Add(1)
	m, err := ofp.Decode(b)
	hello, ok := m.(*ofp.Hello)
	if err != nil || !ok {
		c.s.log.Info("received message while expecting hello", "conn", c.name, "err", err)
		return false
	}
	v, ok := ofp.Negotiate(c.s.versions, hello)
	if !ok || !codecVersion(v) {
		text := fmt.Sprintf("We support %s, you support %s, no common versions.",
			versionList(c.s.versions), versionList(peerVersions(hello)))
		if ok {
			text = fmt.Sprintf("Negotiated OpenFlow version 0x%02x is not supported by govs (only 0x01 and 0x04).", v)
		}
		c.s.log.Info("version negotiation failed", "conn", c.name, "detail", text)
		em := ofp.NewErrorMsg(ofp.OFPHFC_INCOMPATIBLE, hello.Version, hello.Xid, []byte(text))
		if !validVersion(em.Version) {
			em.Version = highestVersion(c.s.versions)
		}
		c.s.nErrors.Add(1)
		c.sendMsg(em)
		return false
	}
	c.ver.Store(uint32(v))
	c.s.log.Debug("negotiated", "conn", c.name, "version", v)
	return true
}

// peerVersions expands a HELLO without bitmap into its implied set.
func peerVersions(h *ofp.Hello) uint32 {
	if h.Versions != 0 {
		return h.Versions
	}
	if h.Version >= 31 {
		return ^uint32(0) &^ 1
	}
	return uint32(1)<<(h.Version+1) - 2
}

func versionList(bm uint32) string {
	var parts []string
	for v := 0; v < 32; v++ {
		if bm&(1<<v) != 0 {
			parts = append(parts, fmt.Sprintf("0x%02x", v))
		}
	}
	if len(parts) == 0 {
		return "no versions"
	}
	return "versions " + strings.Join(parts, ", ")
}

// writer writes queued messages until the connection shuts down, then
// drains what is still queued (bounded by drainTimeout) and closes nc.
func (c *conn) writer(done chan struct{}) {
	defer close(done)
	defer c.nc.Close()
	for {
		select {
		case ob := <-c.out:
			_, err := c.nc.Write(ob.b)
			c.putBuf(ob)
			if err != nil {
				c.close()
				return
			}
		case <-c.quit:
			if !c.forced.Load() {
				_ = c.nc.SetWriteDeadline(time.Now().Add(drainTimeout))
			}
			for {
				select {
				case ob := <-c.out:
					if !c.forced.Load() {
						_, _ = c.nc.Write(ob.b)
					}
					c.putBuf(ob)
				default:
					return
				}
			}
		}
	}
}

// enqueue queues a reply, waiting for room; it gives up when the
// connection shuts down.
func (c *conn) enqueue(ob *outBuf) {
	if c.applyFlowMod != nil {
		// Inside a flow mod run (reader goroutine): sent after it.
		c.deferred = append(c.deferred, ob)
		return
	}
	select {
	case c.out <- ob:
	case <-c.quit:
		c.putBuf(ob)
	}
}

// tryEnqueue queues an asynchronous message if there is room.
func (c *conn) tryEnqueue(ob *outBuf) bool {
	select {
	case <-c.quit:
	default:
		select {
		case c.out <- ob:
			return true
		default:
		}
	}
	c.putBuf(ob)
	c.s.nDropped.Add(1)
	return false
}

// sendMsg encodes m (its header's version and xid as set) and queues it.
func (c *conn) sendMsg(m ofp.Message) {
	ob := c.getBuf()
	b, err := m.AppendBinary(ob.b[:0])
	if err != nil {
		c.putBuf(ob)
		c.s.log.Error("cannot encode reply", "conn", c.name, "type", fmt.Sprintf("%T", m), "err", err)
		return
	}
	ob.b = b
	c.enqueue(ob)
}

// reply sends m as the reply to a request with xid.
func (c *conn) reply(m ofp.Message, xid uint32) {
	h := m.Hdr()
	h.Version, h.Xid = c.version(), xid
	c.sendMsg(m)
}

// replyMultipart sends a multipart reply, split as needed. An encoding
// failure is answered with its error instead.
func (c *conn) replyMultipart(m ofp.MultipartReply, raw []byte, xid uint32) {
	msgs, err := ofp.EncodeMultipart(m, c.version(), xid)
	if err != nil {
		c.s.errorReply(c, raw, err)
		return
	}
	for _, b := range msgs {
		ob := c.getBuf()
		ob.b = append(ob.b[:0], b...)
		c.enqueue(ob)
	}
}
