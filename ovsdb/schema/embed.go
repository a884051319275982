package schema

import (
	_ "embed"
	"sync"
)

// vswitchSchema is a verbatim copy of /usr/share/openvswitch/vswitch.ovsschema
// (Open_vSwitch 8.3.1, from Open vSwitch 3.1).
//
//go:embed vswitch.ovsschema
var vswitchSchema []byte

// serverSchema is the "_Server" database schema as ovsdb-server 3.1 serves it.
//
//go:embed _server.ovsschema
var serverSchema []byte

// Default database names.
const (
	VswitchDB = "Open_vSwitch"
	ServerDB  = "_Server"
)

var (
	vswitchOnce sync.Once
	vswitchVal  *Schema
	serverOnce  sync.Once
	serverVal   *Schema
)

// Vswitch returns the embedded Open_vSwitch schema. The returned schema is
// shared and immutable.
func Vswitch() *Schema {
	vswitchOnce.Do(func() { vswitchVal = mustParse(vswitchSchema) })
	return vswitchVal
}

// Server returns the embedded _Server schema (shared, immutable).
func Server() *Schema {
	serverOnce.Do(func() { serverVal = mustParse(serverSchema) })
	return serverVal
}

// VswitchBytes returns the raw embedded vswitch.ovsschema text.
func VswitchBytes() []byte { return append([]byte(nil), vswitchSchema...) }

func mustParse(b []byte) *Schema {
	s, err := Parse(b)
	if err != nil {
		panic("schema: embedded schema does not parse: " + err.Error())
	}
	return s
}
