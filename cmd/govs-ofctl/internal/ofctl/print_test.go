package ofctl

import (
	"strings"
	"testing"

	"govs/flowtable"
	"govs/ofproto/ofp"
)

func TestAppendFieldGroups(t *testing.T) {
	tests := []struct {
		in   []string
		want string
	}{
		{[]string{"in_port"}, " in_port"},
		{[]string{"in_port", "eth_src", "eth_dst", "eth_type", "vlan_vid", "vlan_pcp", "ip_src", "ip_dst",
			"nw_proto", "nw_tos", "tcp_src", "tcp_dst"},
			" in_port eth_{src,dst,type} vlan_{vid,pcp} ip_{src,dst} nw_{proto,tos} tcp_{src,dst}"},
		{[]string{"metadata", "eth_src"}, " metadata eth_src"},
	}
	for _, tt := range tests {
		if got := string(appendFieldGroups(nil, tt.in)); got != tt.want {
			t.Errorf("%v: got %q want %q", tt.in, got, tt.want)
		}
	}
}

func TestEthFromHex(t *testing.T) {
	tests := []struct {
		in      string
		wantLen int
		wantErr string
	}{
		{"ffffffffffff0000000000010800", 14, ""},
		{"ff ff ff ff ff ff 00 00 00 00 00 01 08 00 45", 15, ""},
		{"zz", 0, "Trailing garbage in packet data"},
		{"fff", 0, "Trailing garbage in packet data"},
		{"ffff", 0, "Packet data too short for Ethernet"},
		{"", 0, "Packet data too short for Ethernet"},
	}
	for _, tt := range tests {
		b, msg := ethFromHex(tt.in)
		if msg != tt.wantErr || len(b) != tt.wantLen {
			t.Errorf("%q: len %d err %q, want %d %q", tt.in, len(b), msg, tt.wantLen, tt.wantErr)
		}
	}
}

func TestParseModPortAction(t *testing.T) {
	tests := []struct {
		act          string
		config, mask uint32
		ok           bool
	}{
		{"up", 0, ofp.PortConfigPortDown, true},
		{"down", ofp.PortConfigPortDown, ofp.PortConfigPortDown, true},
		{"no-flood", ofp.PortConfigNoFlood, ofp.PortConfigNoFlood, true},
		{"noflood", ofp.PortConfigNoFlood, ofp.PortConfigNoFlood, true},
		{"FLOOD", 0, ofp.PortConfigNoFlood, true},
		{"no-down", 0, ofp.PortConfigPortDown, true},
		{"packet-in", 0, ofp.PortConfigNoPacketIn, true},
		{"bogus", 0, 0, false},
		{"no", 0, 0, false},
	}
	for _, tt := range tests {
		c, m, ok := parseModPortAction(tt.act)
		if c != tt.config || m != tt.mask || ok != tt.ok {
			t.Errorf("%s: got %#x %#x %v", tt.act, c, m, ok)
		}
	}
}

func TestAppendDuration(t *testing.T) {
	tests := []struct {
		sec, nsec uint32
		want      string
	}{
		{5, 0, "5"}, {5, 1000000, "5.001"}, {5, 123456789, "5.123456789"}, {5, 120000, "5.00012"},
	}
	for _, tt := range tests {
		if got := string(appendDuration(nil, tt.sec, tt.nsec)); got != tt.want {
			t.Errorf("%d.%d: %q want %q", tt.sec, tt.nsec, got, tt.want)
		}
	}
}

func TestPrintMessages(t *testing.T) {
	enc := func(m ofp.Message, v uint8, xid uint32) []byte {
		b, err := ofp.Encode(m, v, xid)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	port := ofp.PhyPort{PortNo: 1, HWAddr: [6]byte{0xaa, 0x55, 0xaa, 0x55, 0, 0xf}, Name: "p1", Curr: 1<<5 | 1<<7}
	const defaultPriority = 32768
	fm := &ofp.FlowMod{}
	fm.Priority, fm.OutPort, fm.BufferID = defaultPriority, flowtable.PortNone, ofp.NoBuffer
	flowMod := enc(fm, ofp.Version10, 8)
	tests := []struct {
		name string
		raw  []byte
		want string
	}{
		{"config", enc(&ofp.GetConfigReply{SwitchConfig: ofp.SwitchConfig{MissSendLen: 128}}, ofp.Version13, 5),
			"OFPT_GET_CONFIG_REPLY (OF1.3) (xid=0x5): frags=normal miss_send_len=128\n"},
		{"features", enc(&ofp.FeaturesReply{DatapathID: 0x123, NTables: 254, Capabilities: 0xc7, Actions: 0xfff, Ports: []ofp.PhyPort{port}}, ofp.Version10, 2),
			"OFPT_FEATURES_REPLY (xid=0x2): dpid:0000000000000123\nn_tables:254, n_buffers:0\n" +
				"capabilities: FLOW_STATS TABLE_STATS PORT_STATS QUEUE_STATS ARP_MATCH_IP\n" +
				"actions: output enqueue set_vlan_vid set_vlan_pcp strip_vlan mod_dl_src mod_dl_dst mod_nw_src mod_nw_dst mod_nw_tos mod_tp_src mod_tp_dst\n" +
				" 1(p1): addr:aa:55:aa:55:00:0f\n     config:     0\n     state:      0\n     current:    1GB-FD COPPER\n" +
				"     speed: 1000 Mbps now, 0 Mbps max\n"},
		{"error", enc(ofp.NewErrorMsg(ofp.OFPBRC_EPERM, ofp.Version10, 8, flowMod), ofp.Version10, 8),
			"OFPT_ERROR (xid=0x8): OFPBRC_EPERM\nOFPT_FLOW_MOD (xid=0x8): ADD actions=drop\n"},
		{"error truncated", enc(ofp.NewErrorMsg(ofp.OFPBRC_EPERM, ofp.Version10, 8, flowMod[:20]), ofp.Version10, 8),
			"OFPT_ERROR (xid=0x8): OFPBRC_EPERM\nOFPT_FLOW_MOD (xid=0x8)\n(***truncated to 20 bytes from 72***)\n"},
		{"aggregate", enc(&ofp.AggregateStatsReply{NX: true, PacketCount: 1, ByteCount: 2, FlowCount: 3}, ofp.Version10, 4),
			"NXST_AGGREGATE reply (xid=0x4): packet_count=1 byte_count=2 flow_count=3\n"},
		{"empty", nil, "OpenFlow message is empty\n"},
		{"short", []byte{1, 2}, "OpenFlow packet too short (only 2 bytes):\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := msgString(&msg{raw: tt.raw}, nil)
			if got != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

// FuzzAppendMsg feeds arbitrary bytes to the message printer: it must
// never panic and always end the text with a newline.
func FuzzAppendMsg(f *testing.F) {
	for _, v := range []uint8{ofp.Version10, ofp.Version13} {
		for _, m := range []ofp.Message{
			&ofp.FeaturesReply{Ports: []ofp.PhyPort{{PortNo: 1, Name: "p1"}}},
			&ofp.PortStatsReply{Ports: []ofp.PortStats{{PortNo: 2}}},
			&ofp.TableStatsReply{Tables: []ofp.TableStats{{TableID: 0, Wildcards: 0x3fffff}, {TableID: 1}}},
			&ofp.DescReply{MfrDesc: "x"},
			&ofp.GetConfigReply{},
		} {
			if b, err := ofp.Encode(m, v, 1); err == nil {
				f.Add(b)
			}
		}
	}
	f.Add([]byte{1, 1, 0, 12, 0, 0, 0, 1, 0, 1, 0, 6})
	f.Fuzz(func(t *testing.T, b []byte) {
		s := msgString(&msg{raw: b}, &flowtable.PortMap{})
		if !strings.HasSuffix(s, "\n") {
			t.Fatalf("no newline: %q", s)
		}
	})
}

// FuzzParsePacketOut checks the packet-out string parser never panics and
// that a success always carries an Ethernet-sized packet.
func FuzzParsePacketOut(f *testing.F) {
	for _, s := range []string{
		"in_port=1,packet=ffffffffffff0000000000010800,actions=drop",
		"packet=ffffffffffff0000000000010800 actions=output:2",
		"in_port=p1,packet=zz,actions=drop", "in_port=65280,packet=00", "actions=", "in_port=,",
		"reg0=1,packet=ffffffffffff0000000000010800",
	} {
		f.Add(s)
	}
	pm := &flowtable.PortMap{Number: func(n string) (flowtable.PortNo, bool) { return 1, n == "p1" }}
	f.Fuzz(func(t *testing.T, s string) {
		po, err := parsePacketOut(s, pm)
		if err == nil && len(po.packet) < ethHeaderLen {
			t.Fatalf("short packet accepted: %q", s)
		}
	})
}
