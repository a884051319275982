package flow

// String returns the key in the dpctl/dump-flows syntax with an exact mask
// (every field printed, numbers for ports). It allocates: debugging and
// test output only, never the per-packet path.
func (k *Key) String() string {
	var m Key
	for i := range m.W {
		m.W[i] = ^uint64(0)
	}
	b := AppendKeyMask(nil, k, &m, nil)
	return string(b)
}
