package ports

import (
	"errors"
	"fmt"
	"syscall"
	"testing"
)

func TestOpenError(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"enodev", syscall.ENODEV, "could not open network device veth9 (No such device)"},
		{"eperm wrapped", fmt.Errorf("socket: %w", syscall.EPERM), "could not open network device veth9 (Operation not permitted)"},
		{"plain", errors.New("boom"), "could not open network device veth9 (boom)"},
		{"nil", nil, "could not open network device veth9 (unknown error)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := &OpenError{Device: "veth9", Err: tt.err}
			if got := e.Error(); got != tt.want {
				t.Fatalf("Error() = %q, want %q", got, tt.want)
			}
			if tt.err != nil && !errors.Is(e, tt.err) {
				t.Fatalf("errors.Is(%v) = false", tt.err)
			}
		})
	}
}
