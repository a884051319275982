package ofp

import (
	"errors"
	"io"
)

// ErrFraming is a message whose length field is shorter than its header:
// the byte stream cannot be framed past it (OVS closes such a connection,
// vconn-stream's "received too-short ofp_header").
var ErrFraming = errors.New("ofp: message length shorter than an OpenFlow header")

// ReadMessage reads one whole message from a byte stream: the header,
// then the rest of the length it gives. The returned slice is freshly
// allocated and owned by the caller (decoded messages may alias it). A
// clean end of stream before the header is io.EOF; an end inside the
// message is io.ErrUnexpectedEOF; a length below HeaderLen is ErrFraming.
func ReadMessage(r io.Reader) ([]byte, error) {
	var hdr [HeaderLen]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return nil, err
	}
	n, _ := ReadLength(hdr[:])
	if n < HeaderLen {
		return nil, ErrFraming
	}
	b := make([]byte, n)
	copy(b, hdr[:])
	if _, err := io.ReadFull(r, b[HeaderLen:]); err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	return b, nil
}
