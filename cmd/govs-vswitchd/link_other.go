//go:build !linux

package main

import "errors"

// setAdminUp is not available without Linux's interface ioctls.
func setAdminUp(name string, up bool) error {
	return errors.New("setting a device up or down needs Linux")
}
