package vsctl

import "govs/ovsdb/schema"

// ParseDatum parses s in ovs-vsctl's value syntax for a column of type t
// ("10", "1-3,7", "[a, b]", "{k=v, k2=\"x y\"}"), checking the type's
// constraints exactly as ovs-vsctl does. "@name" row ids are rejected.
func ParseDatum(t *schema.Type, s string) (schema.Datum, error) {
	return parseDatum(t, s, nil)
}

// FormatDatum prints d as ovs-vsctl does (ovsdb_datum_to_string): sets
// as [a, b], maps as {k=v}, strings quoted only when needed.
func FormatDatum(d schema.Datum, t *schema.Type) string { return datumString(d, t) }

// FormatAtom prints one atom as ovs-vsctl does.
func FormatAtom(a schema.Atom) string { return atomString(a) }
