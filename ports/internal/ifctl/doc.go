// Package ifctl reads netdev attributes (MAC address, MTU) with interface
// ioctls on a caller-supplied socket. The socket's network namespace is
// the one searched, so ports pass their own socket (or one they opened in
// the device's namespace) and the answer is right even when the caller's
// thread is in another namespace. Not for the per-packet path (it
// allocates the returned address).
package ifctl
