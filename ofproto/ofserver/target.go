package ofserver

import (
	"fmt"
	"net"
	"strconv"
	"strings"
)

// DefaultPort is the OpenFlow TCP port OVS uses when a target names none
// (OFP_PORT, 6653).
const DefaultPort = 6653

// maxPort is the largest TCP port number.
const maxPort = 65535

// Target is a parsed OVS connection target.
type Target struct {
	// Passive is true for punix: and ptcp: (the switch listens).
	Passive bool
	// Network is "unix" or "tcp".
	Network string
	// Address is a socket path or host:port ("" host = every address).
	Address string
}

// String returns the target in OVS syntax.
func (t Target) String() string {
	switch {
	case t.Network == "unix" && t.Passive:
		return "punix:" + t.Address
	case t.Network == "unix":
		return "unix:" + t.Address
	}
	host, port, _ := net.SplitHostPort(t.Address)
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if t.Passive {
		if host == "" {
			return "ptcp:" + port
		}
		return "ptcp:" + port + ":" + host
	}
	return "tcp:" + host + ":" + port
}

// ParseTarget parses an OVS target: "punix:PATH", "unix:PATH",
// "ptcp:[PORT][:IP]" and "tcp:IP[:PORT]" (IPv6 addresses in brackets).
// ssl:, pssl: and other schemes are refused with an error naming them.
func ParseTarget(s string) (Target, error) {
	scheme, rest, ok := strings.Cut(s, ":")
	if !ok {
		return Target{}, fmt.Errorf("ofserver: target %q has no scheme (punix:, unix:, ptcp:, tcp:)", s)
	}
	switch scheme {
	case "punix", "unix":
		if rest == "" {
			return Target{}, fmt.Errorf("ofserver: target %q has no socket path", s)
		}
		return Target{Passive: scheme == "punix", Network: "unix", Address: rest}, nil
	case "ptcp":
		portStr, host, _ := strings.Cut(rest, ":")
		if strings.HasPrefix(host, "[") {
			host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
		}
		port, err := parsePort(portStr, s)
		if err != nil {
			return Target{}, err
		}
		if host != "" && net.ParseIP(host) == nil {
			return Target{}, fmt.Errorf("ofserver: target %q: %q is not an IP address", s, host)
		}
		return Target{Passive: true, Network: "tcp", Address: net.JoinHostPort(host, strconv.Itoa(port))}, nil
	case "tcp":
		host, portStr := rest, ""
		if strings.HasPrefix(rest, "[") {
			end := strings.Index(rest, "]")
			if end < 0 {
				return Target{}, fmt.Errorf("ofserver: target %q: unterminated [", s)
			}
			host = rest[1:end]
			portStr = strings.TrimPrefix(rest[end+1:], ":")
		} else if h, p, ok := strings.Cut(rest, ":"); ok {
			host, portStr = h, p
		}
		if net.ParseIP(host) == nil {
			return Target{}, fmt.Errorf("ofserver: target %q: %q is not an IP address", s, host)
		}
		port, err := parsePort(portStr, s)
		if err != nil {
			return Target{}, err
		}
		return Target{Network: "tcp", Address: net.JoinHostPort(host, strconv.Itoa(port))}, nil
	}
	return Target{}, fmt.Errorf("ofserver: target %q: scheme %q is not supported by govs (punix:, unix:, ptcp:, tcp:)", s, scheme)
}

func parsePort(p, target string) (int, error) {
	if p == "" {
		return DefaultPort, nil
	}
	n, err := strconv.Atoi(p)
	if err != nil || n < 0 || n > maxPort {
		return 0, fmt.Errorf("ofserver: target %q: bad port %q", target, p)
	}
	return n, nil
}
