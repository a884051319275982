package flowtable

import (
	"testing"

	"govs/datapath/flow"
)

func exampleMatch(t testing.TB) Match {
	t.Helper()
	var m Match
	m.SetEthType(EthTypeIPv4)
	m.SetNwProto(IPProtoTCP)
	set := func(f *Field, s string) {
		v, mk, err := ParseFieldValue(f, s, nil)
		if err != nil {
			t.Fatal(err)
		}
		f.Set(&m, v, mk)
	}
	set(FieldIPDst, "10.0.0.0/8")
	set(FieldTCPDst, "80")
	set(FieldInPort, "3")
	set(FieldRegs[0], "0x5/0xff")
	return m
}

func packetKey() flow.Key {
	var k flow.Key
	k.SetEthType(EthTypeIPv4)
	k.SetNwProto(IPProtoTCP)
	k.SetIPv4Src(0xc0a80001)
	k.SetIPv4Dst(0x0a010203)
	k.SetTpSrc(12345)
	k.SetTpDst(80)
	return k
}

func TestMatchMatches(t *testing.T) {
	m := exampleMatch(t)
	k := packetKey()
	st := PipelineState{InPort: 3}
	st.Regs[0] = 0x1205
	tests := []struct {
		name   string
		mutate func(k *flow.Key, st *PipelineState)
		want   bool
	}{
		{"hit", func(*flow.Key, *PipelineState) {}, true},
		{"other port", func(_ *flow.Key, st *PipelineState) { st.InPort = 4 }, false},
		{"other dst", func(k *flow.Key, _ *PipelineState) { k.SetIPv4Dst(0x0b000001) }, false},
		{"other tp", func(k *flow.Key, _ *PipelineState) { k.SetTpDst(81) }, false},
		{"reg high bits ignored", func(_ *flow.Key, st *PipelineState) { st.Regs[0] = 0xff05 }, true},
		{"reg low bits differ", func(_ *flow.Key, st *PipelineState) { st.Regs[0] = 0x06 }, false},
		{"udp", func(k *flow.Key, _ *PipelineState) { k.SetNwProto(IPProtoUDP) }, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			kk, ss := k, st
			tc.mutate(&kk, &ss)
			if got := m.Matches(&kk, &ss); got != tc.want {
				t.Errorf("got %v want %v", got, tc.want)
			}
		})
	}
	var all Match
	if !all.IsCatchAll() || !all.Matches(&k, &st) || m.IsCatchAll() {
		t.Error("catch-all")
	}
}

func TestMatchMatchesAllocs(t *testing.T) {
	m := exampleMatch(t)
	k := packetKey()
	st := PipelineState{InPort: 3, Regs: [NumRegs]uint32{5}}
	if n := testing.AllocsPerRun(1000, func() { m.Matches(&k, &st) }); n != 0 {
		t.Fatalf("Matches allocates %v times", n)
	}
}

func TestAppendMatchAllocs(t *testing.T) {
	m := exampleMatch(t)
	buf := make([]byte, 0, 512)
	if n := testing.AllocsPerRun(1000, func() { buf = AppendMatch(buf[:0], &m, 5, nil) }); n != 0 {
		t.Fatalf("AppendMatch allocates %v times", n)
	}
	if got := string(buf); got != "priority=5,tcp,reg0=0x5/0xff,in_port=3,nw_dst=10.0.0.0/8,tp_dst=80" {
		t.Fatalf("got %q", got)
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct {
		set  func(m *Match)
		want string
	}{
		{func(m *Match) { m.Key.SetTpDst(80); m.Mask.SetTpDst(0xffff) }, ""},
		{func(m *Match) { m.SetEthType(EthTypeIPv4); m.Key.SetTpDst(80); m.Mask.SetTpDst(0xffff) }, "ip"},
		{func(m *Match) {
			m.SetEthType(EthTypeIPv6)
			m.SetNwProto(IPProtoICMPv6)
			m.NDTargetMask = allOnes128
		}, "icmp6"},
		{func(m *Match) { m.SetEthType(EthTypeARP); m.Key.SetNwTTL(3); m.Mask.SetNwTTL(0xff) }, "arp"},
	}
	for _, tc := range tests {
		var m Match
		tc.set(&m)
		m.Normalize()
		if got := FormatMatch(&m, DefaultPriority, nil); got != tc.want {
			t.Errorf("got %q want %q", got, tc.want)
		}
	}
}

func BenchmarkMatchMatches(b *testing.B) {
	m := exampleMatch(b)
	k := packetKey()
	st := PipelineState{InPort: 3, Regs: [NumRegs]uint32{5}}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if !m.Matches(&k, &st) {
			b.Fatal("miss")
		}
	}
}

func BenchmarkAppendMatch(b *testing.B) {
	m := exampleMatch(b)
	buf := make([]byte, 0, 512)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		buf = AppendMatch(buf[:0], &m, 5, nil)
	}
}
