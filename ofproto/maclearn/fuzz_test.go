package maclearn

import (
	"testing"
	"time"

	"govs/datapath/flow"
)

// FuzzTable drives a small table with an arbitrary sequence of
// operations (each 3 bytes: op, mac/port selector, vlan) and checks the
// internal invariants and the basic learn→lookup property.
func FuzzTable(f *testing.F) {
	f.Add([]byte{0, 1, 1, 0, 1, 2, 1, 1, 1, 2, 0, 0})
	f.Add([]byte{0, 0xff, 3, 3, 0, 0, 4, 2, 0, 5, 0, 0, 6, 7, 7})
	f.Add([]byte{0, 1, 1, 0, 2, 1, 0, 3, 1, 0, 4, 1, 0, 5, 1, 0, 6, 1, 0, 7, 1, 0, 8, 1, 0, 9, 1, 0, 10, 1, 0, 11, 1})
	const ops = 8
	f.Fuzz(func(t *testing.T, prog []byte) {
		tb, clk := newTable(t, Config{MaxEntries: MinMaxEntries, AgingSeconds: MinAgingSeconds})
		for len(prog) >= 3 {
			op, sel, vlan := prog[0]%ops, prog[1], uint16(prog[2])%4
			prog = prog[3:]
			m := mac(int(sel & 0x1f))
			if sel&0x80 != 0 {
				m[0] |= multicastBit
			}
			port := flow.PortNo(1 + (sel>>5)&3)
			switch op {
			case 0, 1:
				tb.Learn(vlan, m, port, LearnFlags(op))
				if !m.IsMulticast() {
					if p, ok := tb.Lookup(vlan, m); !ok {
						t.Fatalf("learned %v vlan %d missing", m, vlan)
					} else if p != port && op == 0 {
						t.Fatalf("learned %v on %d, lookup %d", m, port, p)
					}
				}
			case 2:
				clk.Advance(time.Duration(sel) * time.Second)
			case 3:
				tb.Expire()
			case 4:
				tb.FlushPort(port)
			case 5:
				tb.FlushVLAN(vlan)
			case 6:
				tb.SetMaxEntries(int(sel))
				tb.Expire()
			case 7:
				tb.Learn(vlan, m, port, FromBond|GratuitousARP)
			}
			checkInvariants(t, tb)
			if _, ok := tb.Lookup(vlan, MAC{1}); ok {
				t.Fatal("multicast lookup hit")
			}
		}
		tb.AppendFDBShow(nil)
	})
}
