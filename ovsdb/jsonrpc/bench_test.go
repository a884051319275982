package jsonrpc

import (
	"bytes"
	"io"
	"testing"
)

// BenchmarkDecoderNext frames a stream of typical transact requests.
func BenchmarkDecoderNext(b *testing.B) {
	msg := []byte(`{"id":4,"method":"transact","params":["Open_vSwitch",{"op":"mutate","table":"Open_vSwitch","where":[["_uuid","==",["uuid","304de83b-0000-0000-0000-000000000000"]]],"mutations":[["next_cfg","+=",1]]}]}`)
	stream := bytes.Repeat(msg, 1024)
	b.SetBytes(int64(len(msg)))
	b.ReportAllocs()
	r := bytes.NewReader(stream)
	d := NewDecoder(r, 0)
	for i := 0; i < b.N; i++ {
		if _, err := d.Next(); err == io.EOF {
			r.Reset(stream)
			d = NewDecoder(r, 0)
			i--
		} else if err != nil {
			b.Fatal(err)
		}
	}
}
