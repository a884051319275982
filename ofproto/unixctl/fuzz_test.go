package unixctl

import (
	"errors"
	"testing"
)

func FuzzDecodeRequest(f *testing.F) {
	seeds := []string{
		`{"id":0,"method":"version","params":[]}`,
		`{"id":"x","method":"vlog/set","params":["ANY:dbg"]}`,
		`{"id":null,"method":"a","params":null}`,
		`{"id":1,"method":"a","params":[1,{"a":2}]}`,
		`{"method":"a"}`,
		`[1,2,3]`,
		`{"id":1,"method":5}`,
		``,
		`{"id":1,"method":"a","params":"str"}`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	s := NewServer("v")
	f.Fuzz(func(t *testing.T, data []byte) {
		req, err := DecodeRequest(data)
		var pe *ParamError
		switch {
		case err == nil:
			if req == nil || len(req.ID) == 0 {
				t.Fatalf("nil request or id without error")
			}
			if _, err := EncodeReply(req.ID, "x", false, ""); err != nil {
				t.Fatalf("cannot encode reply for id %q: %v", req.ID, err)
			}
		case errors.As(err, &pe):
			if req == nil {
				t.Fatal("ParamError without request")
			}
		case !errors.Is(err, ErrNotRequest):
			t.Fatalf("unexpected error kind %v", err)
		}
		if out, _ := s.handle(data); out != nil {
			if _, err := DecodeReply(out); err != nil {
				t.Fatalf("reply does not decode: %v", err)
			}
		}
	})
}
