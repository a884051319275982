// Package schema is the OVSDB type system: it parses .ovsschema documents
// (RFC 7047 section 3.2) and defines the values stored in a database —
// atoms, datums (sets and maps) and UUIDs — with their JSON encodings
// ("set", "map", "uuid", "named-uuid") and the constraint checks every
// write goes through (types, enums, ranges, lengths, set sizes).
//
// Ownership and lifetime: a *Schema is immutable after Parse and may be
// shared by any number of goroutines without locks. Datum values are
// plain values; functions that return a Datum return a fresh one and never
// alias the slices of their arguments unless documented ("shares").
//
// Allocation: this is config-plane code, not per-packet code; it allocates
// freely and favours clarity.
//
// Default schemas: Vswitch returns the embedded copy of Open vSwitch's
// vswitch.ovsschema (Open_vSwitch 8.3.x) and Server the "_Server" schema
// that ovsdb-server serves, so every table and column matches the real ones.
package schema
