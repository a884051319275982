//go:build !linux

package main

import "errors"

// detach is not supported on this OS.
func detach() error { return errors.New("--detach is only supported on Linux") }

func detachedReady()       {}
func detachedFailed(error) {}
