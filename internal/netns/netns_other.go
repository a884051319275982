//go:build !linux

package netns

import "errors"

// Do fails: network namespaces are Linux-only.
func Do(name string, f func() error) error {
	return errors.New("network namespaces need Linux")
}
