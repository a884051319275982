package switches

import (
	"errors"
	"testing"
)

func TestNew(t *testing.T) {
	for _, n := range Names {
		s, err := New(n, Options{})
		if err != nil || s.Name() != n {
			t.Errorf("New(%q) = %v, %v", n, s, err)
		}
		if err := s.Stop(); err != nil {
			t.Errorf("%s: Stop before Start: %v", n, err)
		}
	}
	if _, err := New("vpp", Options{}); !errors.Is(err, ErrUnknown) {
		t.Errorf("New(vpp) = %v, want ErrUnknown", err)
	}
}
