package tlv

import (
	"errors"
	"testing"
)

func TestTableMod(t *testing.T) {
	tb := NewTable()
	ovn := Mapping{Class: 0x102, Type: 0x80, Len: 4, Index: 0}
	if err := tb.Mod(CmdAdd, []Mapping{ovn, {Class: 1, Type: 2, Len: 8, Index: 6}}, nil); err != nil {
		t.Fatal(err)
	}
	m := tb.Load()
	if e := m.Field(0); !e.Valid || e.Offset != 0 || e.Len != 4 {
		t.Fatalf("field 0: %+v", e)
	}
	if e := m.Field(6); !e.Valid || e.Offset != 4 || e.Len != 8 {
		t.Fatalf("field 6: %+v", e)
	}
	if e, ok := m.Find(0x102, 0x80, 4); !ok || e.Index != 0 {
		t.Fatalf("find: %+v %v", e, ok)
	}
	if _, ok := m.Find(0x102, 0x80, 8); ok {
		t.Fatal("found an option of another length")
	}
	if m.Allocated() != 12 || len(m.Mappings()) != 2 {
		t.Fatalf("allocated %d mappings %v", m.Allocated(), m.Mappings())
	}
	for _, c := range []struct {
		name string
		cmd  int
		maps []Mapping
		want error
	}{
		{"already mapped", CmdAdd, []Mapping{{Class: 9, Type: 9, Len: 4, Index: 0}}, ErrAlreadyMapped},
		{"dup entry", CmdAdd, []Mapping{{Class: 0x102, Type: 0x80, Len: 8, Index: 1}}, ErrDupEntry},
		{"bad len", CmdAdd, []Mapping{{Class: 3, Type: 3, Len: 3, Index: 1}}, ErrBadOptLen},
		{"bad index", CmdAdd, []Mapping{{Class: 3, Type: 3, Len: 4, Index: 64}}, ErrBadFieldIdx},
		{"beyond 32 bytes", CmdAdd, []Mapping{{Class: 3, Type: 3, Len: 24, Index: 1}}, ErrTableFull},
		{"second fails: none applied", CmdAdd, []Mapping{{Class: 4, Type: 4, Len: 4, Index: 2}, {Class: 3, Type: 3, Len: 124, Index: 3}}, ErrTableFull},
		{"bad command", 3, nil, ErrBadCommand},
		{"zero length", CmdAdd, []Mapping{{Class: 3, Type: 3, Len: 0, Index: 1}}, ErrBadOptLen},
	} {
		if err := tb.Mod(c.cmd, c.maps, nil); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
	if tb.Load() != m {
		t.Fatal("failed mods changed the map")
	}
	// Exactly the rest of the slot fits.
	if err := tb.Mod(CmdAdd, []Mapping{{Class: 3, Type: 3, Len: 20, Index: 63}}, nil); err != nil {
		t.Fatal(err)
	}
	if e := tb.Load().Field(63); e.Offset != 12 {
		t.Fatalf("field 63 at %d", e.Offset)
	}
	inUse := func(i int) bool { return i == 6 }
	if err := tb.Mod(CmdDelete, []Mapping{{Index: 6}}, inUse); !errors.Is(err, ErrInUse) {
		t.Fatalf("delete in use: %v", err)
	}
	if err := tb.Mod(CmdDelete, []Mapping{{Index: 0}, {Index: 9}}, inUse); err != nil {
		t.Fatal(err)
	}
	if tb.Load().Field(0).Valid || tb.Load().Allocated() != 28 {
		t.Fatalf("after delete: %v", tb.Load().Mappings())
	}
	// The freed 4 bytes at offset 0 are reused.
	if err := tb.Mod(CmdAdd, []Mapping{{Class: 5, Type: 5, Len: 4, Index: 1}}, nil); err != nil || tb.Load().Field(1).Offset != 0 {
		t.Fatalf("reuse: %v %+v", err, tb.Load().Field(1))
	}
	if err := tb.Mod(CmdClear, nil, nil); err != nil || len(tb.Load().Mappings()) != 0 || tb.Load().Allocated() != 0 {
		t.Fatalf("clear: %v %v", err, tb.Load().Mappings())
	}
}

func TestFindAllocs(t *testing.T) {
	tb := NewTable()
	_ = tb.Mod(CmdAdd, []Mapping{{Class: 0x102, Type: 0x80, Len: 4, Index: 0}}, nil)
	m := tb.Load()
	if n := testing.AllocsPerRun(100, func() { m.Find(0x102, 0x80, 4) }); n != 0 {
		t.Fatalf("Find allocates %v", n)
	}
}
