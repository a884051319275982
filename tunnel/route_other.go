//go:build !linux

package tunnel

import "errors"

func kernelSourceFor(uint32) (uint32, error) {
	return 0, errors.New("tunnel: route lookup needs Linux")
}
