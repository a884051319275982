//go:build !linux

package main

// isTerminal reports false off Linux: names are then shown only with
// --names, as when ovs-ofctl's output is piped.
func isTerminal(uintptr) bool { return false }
