// Package tlv is a bridge's Geneve TLV map: which Geneve option
// (class, type, length) is the match field tun_metadata<N>, and where its
// data lives in the flow key's 32-byte option slot (flow.TunMetadataLen,
// key words w16-w19), as OVS's tun-metadata.c tun_table.
//
// # Contract
//
// A Table is changed by Mod (NXT_TLV_TABLE_MOD, the OpenFlow connections'
// goroutines, serialised by Table.mu) and read lock-free by Load (an
// atomic pointer to an immutable Map) from translation, the datapath's
// decap/encap and flow parsing. A Map never changes once published.
//
// # Space
//
// OVS offers 256 bytes of option space in 4-byte chunks that a field may
// use non-contiguously. govs's key slot is SlotLen = 32 bytes, so the map
// reports max option space=32, and a field's data occupies one contiguous
// run of the slot (first fit in 4-byte units). An ADD that does not fit is
// refused with ErrTableFull (NXTTMFC_TABLE_FULL); after deletions a map
// whose total fits may still be refused for want of a contiguous run.
// Zero-length options (valid in OVS) are refused with ErrBadOptLen: a
// field's presence is one bit per 4-byte chunk of the slot.
package tlv

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
)

// Limits.
const (
	NumFields = 64  // tun_metadata0..63 (TUN_METADATA_NUM_OPTS)
	MaxOptLen = 124 // OVS's TLV_MAX_OPT_SIZE
	SlotLen   = 32  // bytes of option data govs's flow key holds
	chunk     = 4
)

// Table mod commands (NXTTMC_*).
const (
	CmdAdd    = 0
	CmdDelete = 1
	CmdClear  = 2
)

// Errors of Mod, as OVS's NXTTMFC_* codes.
var (
	ErrBadCommand    = errors.New("tlv table mod command is out of range")                         // NXTTMFC_BAD_COMMAND
	ErrBadOptLen     = errors.New("tlv option length is not a valid option size")                  // NXTTMFC_BAD_OPT_LEN
	ErrBadFieldIdx   = errors.New("tlv field index is out of range")                               // NXTTMFC_BAD_FIELD_IDX
	ErrTableFull     = errors.New("Geneve options exceed govs's 32-byte tunnel metadata space")    // NXTTMFC_TABLE_FULL
	ErrAlreadyMapped = errors.New("tun_metadata field is already mapped")                          // NXTTMFC_ALREADY_MAPPED
	ErrDupEntry      = errors.New("Geneve option is already mapped to another tun_metadata field") // NXTTMFC_DUP_ENTRY
	ErrInUse         = errors.New("tun_metadata field is used by a flow")                          // NXTTMFC_INVALID_TLV_DEL
)

// Mapping is one TLV map entry as the wire carries it.
type Mapping struct {
	Class uint16
	Type  uint8
	Len   uint8 // option data bytes, a multiple of 4
	Index uint8 // tun_metadata<Index>
}

// Entry is a mapped field: its mapping and its place in the slot.
type Entry struct {
	Mapping
	Offset uint8 // byte offset of the data in the key's slot
	Valid  bool
}

// Map is an immutable TLV map.
type Map struct {
	fields [NumFields]Entry
	used   uint32 // bitmap of 4-byte chunks of the slot in use
}

// Empty is the map of a bridge without mappings.
var Empty = &Map{}

// Field returns tun_metadata<index>'s entry (Valid false: not mapped).
func (m *Map) Field(index int) Entry {
	if m == nil || index < 0 || index >= NumFields {
		return Entry{}
	}
	return m.fields[index]
}

// Find returns the field an option (class, type, len) maps to. It
// allocates nothing (per-packet decap).
func (m *Map) Find(class uint16, typ, length uint8) (Entry, bool) {
	e, ok := m.FindClassType(class, typ)
	return e, ok && e.Len == length
}

// FindClassType returns the field option (class, type) maps to (a map
// holds each (class, type) at most once). Allocation-free.
func (m *Map) FindClassType(class uint16, typ uint8) (Entry, bool) {
	if m == nil || m.used == 0 {
		return Entry{}, false
	}
	for i := range m.fields {
		e := &m.fields[i]
		if e.Valid && e.Class == class && e.Type == typ {
			return *e, true
		}
	}
	return Entry{}, false
}

// Mappings lists the entries in field-index order (the reply's order).
func (m *Map) Mappings() []Mapping {
	var out []Mapping
	if m == nil {
		return out
	}
	for _, e := range m.fields {
		if e.Valid {
			out = append(out, e.Mapping)
		}
	}
	return out
}

// Allocated is the option space in use (the reply's "allocated option
// space").
func (m *Map) Allocated() int {
	n := 0
	if m == nil {
		return 0
	}
	for _, e := range m.fields {
		if e.Valid {
			n += int(e.Len)
		}
	}
	return n
}

// Table is a bridge's TLV map. The zero value is not usable: NewTable.
type Table struct {
	mu  sync.Mutex // serialises Mod
	cur atomic.Pointer[Map]
}

// NewTable returns an empty table.
func NewTable() *Table {
	t := &Table{}
	t.cur.Store(Empty)
	return t
}

// Load returns the current map (never nil).
func (t *Table) Load() *Map {
	if t == nil {
		return Empty
	}
	return t.cur.Load()
}

// Mod applies a table mod atomically, with OVS's semantics
// (tun_metadata_table_mod): ADD fails on a mapped index
// (ErrAlreadyMapped), an option already mapped to another field
// (ErrDupEntry) or no room (ErrTableFull); DELETE removes the given
// indexes, ignoring unmapped ones; CLEAR removes all. Deleting a field
// inUse reports used by a flow fails with ErrInUse. On error nothing
// changes.
func (t *Table) Mod(cmd int, maps []Mapping, inUse func(index int) bool) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	next := *t.cur.Load()
	switch cmd {
	case CmdAdd:
		for _, mp := range maps {
			if err := next.add(mp); err != nil {
				return err
			}
		}
	case CmdDelete, CmdClear:
		for i := range next.fields {
			if !next.fields[i].Valid {
				continue
			}
			del := cmd == CmdClear
			for _, mp := range maps {
				if int(mp.Index) == i {
					del = true
				}
			}
			if !del {
				continue
			}
			if inUse != nil && inUse(i) {
				return fmt.Errorf("tun_metadata%d: %w", i, ErrInUse)
			}
			next.del(i)
		}
	default:
		return ErrBadCommand
	}
	t.cur.Store(&next)
	return nil
}

func (m *Map) add(mp Mapping) error {
	if mp.Len%chunk != 0 || mp.Len > MaxOptLen {
		return ErrBadOptLen
	}
	if int(mp.Index) >= NumFields {
		return ErrBadFieldIdx
	}
	if mp.Len == 0 {
		// Presence is tracked per 4-byte chunk of the slot (see
		// flow.TunFlagOptPresent), so an option needs at least one.
		return fmt.Errorf("tun_metadata%d: zero-length Geneve options are not supported by govs: %w", mp.Index, ErrBadOptLen)
	}
	if m.fields[mp.Index].Valid {
		return fmt.Errorf("tun_metadata%d: %w", mp.Index, ErrAlreadyMapped)
	}
	for _, e := range m.fields {
		if e.Valid && e.Class == mp.Class && e.Type == mp.Type {
			return fmt.Errorf("class=0x%x,type=0x%x: %w", mp.Class, mp.Type, ErrDupEntry)
		}
	}
	n := int(mp.Len) / chunk
	off := -1
	for start := 0; start+n <= SlotLen/chunk && off < 0; start++ {
		if n < 32 && m.used&(uint32(1<<n-1)<<start) == 0 {
			off = start
		}
	}
	if off < 0 {
		return fmt.Errorf("tun_metadata%d of %d bytes (%d of %d in use): %w", mp.Index, mp.Len, m.Allocated(), SlotLen, ErrTableFull)
	}
	m.used |= uint32(1<<n-1) << off
	m.fields[mp.Index] = Entry{Mapping: mp, Offset: uint8(off * chunk), Valid: true}
	return nil
}

func (m *Map) del(i int) {
	e := m.fields[i]
	m.used &^= uint32(1<<(e.Len/chunk)-1) << (e.Offset / chunk)
	m.fields[i] = Entry{}
}
