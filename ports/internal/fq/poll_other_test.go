//go:build !unix

package fq

import "testing"

func pollReadable(t *testing.T, fd int) bool { t.Helper(); return false }
