package ofpact

import "govs/flowtable"

// BitsFit reports whether only the low n bits of an nBytes value are set.
func BitsFit(v flowtable.Value, nBytes, n int) bool { return bitsFit(v, nBytes, n) }

// GetBit returns bit i (0 = least significant) of an nBytes value.
func GetBit(v flowtable.Value, nBytes, i int) bool { return getBit(v, nBytes, i) }

// PutBit sets or clears bit i of an nBytes value.
func PutBit(v *flowtable.Value, nBytes, i int, on bool) {
	if on {
		setBit(v, nBytes, i)
	} else {
		v[nBytes-1-i/8] &^= 1 << uint(i%8)
	}
}

// FormatFieldValue formats a field value (and mask, if non-nil) as OVS
// mf_format.
func FormatFieldValue(f *flowtable.Field, v flowtable.Value, mask *flowtable.Value) string {
	return formatFieldValue(f, v, mask)
}
