package ofp

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"govs/flowtable"
	"govs/flowtable/flowsyntax"
	"govs/flowtable/ofpact"
)

func flowModFrom(t *testing.T, s string, f FlowFormat) *FlowMod {
	fm := mustFlow(t, s)
	if fm.Table == flowsyntax.TableAll {
		fm.Table = 0
	}
	return &FlowMod{FlowMod: *fm, Format: f, BufferID: NoBuffer}
}

// TestRoundTrip encodes one message of every type in each version,
// decodes it back to the same Go value and re-encodes it to the same
// bytes.
func TestRoundTrip(t *testing.T) {
	ports := testPorts()
	ports10 := testPorts()
	ports10[0].CurrSpeed, ports10[0].MaxSpeed = 0, 0 // 1.1+ only
	pkt := []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 1, 0x08, 0x06}
	cases := []struct {
		name string
		v    uint8
		msg  Message
		deep bool // compare decoded value with the original
	}{
		{"hello", Version10, &Hello{}, true},
		{"hello-bitmap", Version15, &Hello{Versions: 0x7e}, true},
		{"error-std", Version13, NewErrorMsg(OFPBRC_BAD_TYPE, Version13, 0, []byte{1, 2}), true},
		{"error-nx10", Version10, NewErrorMsg(OFPBMC_BAD_PREREQ, Version10, 0, []byte{1, 2}), true},
		{"error-exp13", Version13, NewErrorMsg(NXBRC_NXM_INVALID, Version13, 0, []byte{1, 2}), true},
		{"echo-request", Version10, &EchoRequest{Data: []byte("hi")}, true},
		{"echo-reply", Version13, &EchoReply{Data: []byte("hi")}, true},
		{"features-request", Version13, &FeaturesRequest{}, true},
		{"features-reply10", Version10, &FeaturesReply{DatapathID: 1, NBuffers: 2, NTables: 3, Capabilities: 4, Actions: 5, Ports: ports10}, true},
		{"features-reply13", Version13, &FeaturesReply{DatapathID: 1, NTables: 3, AuxiliaryID: 1, Capabilities: 4}, true},
		{"get-config-request", Version10, &GetConfigRequest{}, true},
		{"get-config-reply", Version13, &GetConfigReply{SwitchConfig: SwitchConfig{Flags: ConfigFragDrop, MissSendLen: 128}}, true},
		{"set-config", Version10, &SetConfig{SwitchConfig: SwitchConfig{MissSendLen: 0xffff}}, true},
		{"barrier-request10", Version10, &BarrierRequest{}, true},
		{"barrier-reply13", Version13, &BarrierReply{}, true},
		{"packet-in10", Version10, &PacketIn{BufferID: NoBuffer, TotalLen: 14, InPort: 3, Reason: PacketInNoMatch, Data: pkt}, true},
		{"packet-in13", Version13, &PacketIn{BufferID: NoBuffer, TotalLen: 14, InPort: 3, Reason: PacketInAction, TableID: 2, Cookie: 9,
			Match: mustFlow(t, "in_port=3,reg0=5,tun_id=0x9,actions=drop").Match, Data: pkt}, true},
		{"packet-out10", Version10, &PacketOut{BufferID: NoBuffer, InPort: flowtable.PortLocal, Actions: []ofpact.Action{&ofpact.Output{Port: 2}}, Data: pkt}, true},
		{"packet-out13", Version13, &PacketOut{BufferID: NoBuffer, InPort: flowtable.PortController, Actions: []ofpact.Action{&ofpact.Output{Port: flowtable.PortFlood}}, Data: pkt}, true},
		{"flow-mod10", Version10, flowModFrom(t, "tcp,nw_src=1.0.0.0/8,tp_dst=22,actions=output:1", FormatOF10), false},
		{"flow-mod-nxm", Version10, flowModFrom(t, "ipv6,reg5=0x3/0xf,actions=load:0x3->NXM_NX_REG0[0..7],resubmit(,4)", FormatNXM), false},
		{"flow-mod-nxm-tun-metadata", Version10, flowModFrom(t, "tun_metadata3=0x0b/0xff,tun_metadata1=0x1122334455667788,tun_id=5,actions=drop", FormatNXM), false},
		{"flow-mod-nxm-reg-load2", Version10, flowModFrom(t, "actions=set_field:0x0a0b0c0d->tun_metadata0,set_field:0x1/0xff->tun_metadata9", FormatNXM), false},
		{"flow-mod13-masked-tun-metadata", Version13, flowModFrom(t, "actions=set_field:0x1/0xff->tun_metadata9", FormatOF10), false},
		{"flow-mod13-tun-metadata", Version13, flowModFrom(t, "tun_metadata0=0x0a0b0c0d,actions=set_field:0x0a0b0c0d->tun_metadata7,output:1", FormatOF10), false},
		{"flow-mod13", Version13, flowModFrom(t, "table=3,udp,udp_src=53,actions=mod_tp_src:54,write_actions(output:2),goto_table:9", FormatOF10), false},
		{"flow-removed10", Version10, &FlowRemoved{Match: mustFlow(t, "in_port=1,actions=drop").Match, Cookie: 1, Priority: 2, Reason: 1, DurationSec: 3, DurationNsec: 4, IdleTimeout: 5, PacketCount: 6, ByteCount: 7}, true},
		{"flow-removed13", Version13, &FlowRemoved{Match: mustFlow(t, "arp,arp_op=2,actions=drop").Match, Cookie: 1, Priority: 2, Reason: 2, TableID: 3, DurationSec: 3, IdleTimeout: 5, HardTimeout: 6, PacketCount: 6, ByteCount: 7}, true},
		{"port-status13", Version13, &PortStatus{Reason: PortReasonModify, Desc: ports[2]}, true},
		{"port-mod10", Version10, &PortMod{PortNo: 2, HWAddr: ports[1].HWAddr, Config: PortConfigNoFlood, Mask: PortConfigNoFlood}, true},
		{"port-mod13", Version13, &PortMod{PortNo: flowtable.PortLocal, Config: PortConfigPortDown, Mask: PortConfigPortDown, Advertise: 1}, true},
		{"set-flow-format", Version10, &SetFlowFormat{Format: FormatNXM}, true},
		{"flow-mod-table-id", Version10, &FlowModTableID{Enable: true}, true},
		{"set-packet-in-format", Version10, &SetPacketInFormat{Format: PacketInFormatStandard}, true},
		{"set-controller-id", Version13, &SetControllerID{ControllerID: 7}, true},
		{"tlv-table-mod", Version10, &TLVTableMod{Command: TLVAdd, Maps: []TLVMap{{Class: 0x102, Type: 0x80, Len: 4, Index: 0}, {Class: 1, Type: 2, Len: 8, Index: 63}}}, true},
		{"tlv-table-mod13-clear", Version13, &TLVTableMod{Command: TLVClear}, true},
		{"tlv-table-request", Version13, &TLVTableRequest{}, true},
		{"tlv-table-reply", Version10, &TLVTableReply{MaxOptionSpace: 32, MaxFields: 64, Maps: []TLVMap{{Class: 0xffff, Type: 1, Len: 124, Index: 5}}}, true},
		{"desc-request", Version13, &DescRequest{}, true},
		{"desc-reply", Version10, &DescReply{MfrDesc: "a", HWDesc: "b", SWDesc: "c", SerialNum: "d", DPDesc: "e"}, true},
		{"flow-stats-request10", Version10, &FlowStatsRequest{Match: mustFlow(t, "ip,actions=drop").Match, TableID: 0xff, OutPort: flowtable.PortNone, OutGroup: flowsyntax.GroupAny}, true},
		{"nx-flow-stats-request", Version10, &FlowStatsRequest{NX: true, Match: mustFlow(t, "reg1=2,actions=drop").Match, TableID: 2, OutPort: 3, OutGroup: flowsyntax.GroupAny, Cookie: 5, CookieMask: 0xff}, true},
		{"flow-stats-request13", Version13, &FlowStatsRequest{Match: mustFlow(t, "udp6,actions=drop").Match, TableID: 0xff, OutPort: flowtable.PortNone, OutGroup: 4, Cookie: 1, CookieMask: 1}, true},
		{"aggregate-request13", Version13, &FlowStatsRequest{Aggregate: true, TableID: 0xff, OutPort: flowtable.PortNone, OutGroup: flowsyntax.GroupAny}, true},
		{"nx-aggregate-request", Version10, &FlowStatsRequest{Aggregate: true, NX: true, TableID: 0xff, OutPort: flowtable.PortNone, OutGroup: flowsyntax.GroupAny}, true},
		{"nx-aggregate-reply", Version10, &AggregateStatsReply{NX: true, PacketCount: 1, ByteCount: 2, FlowCount: 3}, true},
		{"table-stats-request", Version10, &TableStatsRequest{}, true},
		{"table-stats-reply10", Version10, &TableStatsReply{Tables: []TableStats{{TableID: 0, Name: "classifier", Wildcards: 0x3fffff, MaxEntries: 1000, ActiveCount: 2, LookupCount: 3, MatchedCount: 4}}}, true},
		{"table-stats-reply13", Version13, &TableStatsReply{Tables: []TableStats{{TableID: 1, ActiveCount: 2, LookupCount: 3, MatchedCount: 4}}}, true},
		{"table-features-request", Version13, &TableFeaturesRequest{Body: []byte{}}, true},
		{"table-features-reply", Version13, &TableFeaturesReply{Tables: []TableFeatures{{TableID: 1, Name: "t", MaxEntries: 5, Properties: EmptyTableFeatureProperties()}}}, true},
		{"port-stats-request13", Version13, &PortStatsRequest{PortNo: flowtable.PortNone}, true},
		{"port-stats-reply13", Version13, &PortStatsReply{Ports: []PortStats{{PortNo: 1, RxPackets: 1, TxPackets: 2, RxBytes: 3, TxBytes: 4, RxDropped: 5, TxDropped: 6, RxErrors: 7, TxErrors: 8, RxFrameErr: 9, RxOverErr: 10, RxCRCErr: 11, Collisions: 12, DurationSec: 13, DurationNsec: 14}}}, true},
		{"port-desc-request10", Version10, &PortDescRequest{PortNo: flowtable.PortNone}, true},
		{"port-desc-reply10", Version10, &PortDescReply{Ports: ports10}, true},
		{"flow-stats-reply-nx", Version10, &FlowStatsReply{NX: true, Flows: []flowsyntax.FlowStats{statsOf(t, "tcp,actions=output:1", 1, 5)}}, false},
		{"flow-stats-reply13", Version13, &FlowStatsReply{Flows: []flowsyntax.FlowStats{statsOf(t, "tcp,actions=output:1", 1, -1)}}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, err := Encode(c.msg, c.v, 0x42)
			if err != nil {
				t.Fatal(err)
			}
			m, err := Decode(b)
			if err != nil {
				t.Fatalf("decode %x: %v", b, err)
			}
			if reflect.TypeOf(m) != reflect.TypeOf(c.msg) {
				t.Fatalf("decoded %T, want %T", m, c.msg)
			}
			if h := m.Hdr(); h.Version != c.v || h.Xid != 0x42 || int(h.Length) != len(b) {
				t.Errorf("header %+v", *h)
			}
			b2, err := MarshalBinary(m)
			if err != nil || !bytes.Equal(b, b2) {
				t.Fatalf("re-encode: %v\n got %x\nwant %x", err, b2, b)
			}
			if c.deep {
				*c.msg.Hdr() = *m.Hdr()
				if !reflect.DeepEqual(m, c.msg) {
					t.Errorf("decoded\n%+v\nwant\n%+v", m, c.msg)
				}
			}
		})
	}
}

// TestMultipartSplit checks that big replies split below 64 KiB with the
// MORE flag on all but the last message, and decode back completely.
func TestMultipartSplit(t *testing.T) {
	for _, v := range []uint8{Version10, Version13} {
		const nPorts = 2000 // > 64 KiB of port stats
		r := &PortStatsReply{}
		for i := 0; i < nPorts; i++ {
			r.Ports = append(r.Ports, PortStats{PortNo: flowtable.PortNo(i + 1), RxPackets: uint64(i)})
		}
		msgs, err := EncodeMultipart(r, v, 9)
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) < 2 {
			t.Fatalf("version %d: %d messages, want a split", v, len(msgs))
		}
		var got []PortStats
		for i, b := range msgs {
			if len(b) > maxMsgLen {
				t.Fatalf("message %d is %d bytes", i, len(b))
			}
			m, err := Decode(b)
			if err != nil {
				t.Fatal(err)
			}
			pr := m.(*PortStatsReply)
			if more := pr.Flags&StatsFlagMore != 0; more != (i < len(msgs)-1) {
				t.Errorf("message %d: more=%v", i, more)
			}
			got = append(got, pr.Ports...)
		}
		if !reflect.DeepEqual(got, r.Ports) {
			t.Errorf("version %d: split lost entries (%d of %d)", v, len(got), nPorts)
		}
		if _, err := MarshalBinary(r); err == nil {
			t.Errorf("AppendBinary of an oversized reply should fail")
		}
	}
}

func TestNegotiate(t *testing.T) {
	ours := uint32(1<<Version10 | 1<<Version13)
	tests := []struct {
		name string
		peer Hello
		want uint8
		ok   bool
	}{
		{"of10-only", Hello{Header: Header{Version: Version10}}, Version10, true},
		{"of13-bitmap", Hello{Header: Header{Version: Version13}, Versions: 1 << Version13}, Version13, true},
		{"ovs-1.5-no-bitmap", Hello{Header: Header{Version: Version15}}, Version13, true},
		{"of12-only", Hello{Header: Header{Version: Version12}, Versions: 1 << Version12}, 0, false},
		{"future", Hello{Header: Header{Version: 0x40}}, Version13, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, ok := Negotiate(ours, &tt.peer)
			if v != tt.want || ok != tt.ok {
				t.Errorf("got %d,%v want %d,%v", v, ok, tt.want, tt.ok)
			}
		})
	}
}

// TestTunMetadataRefusals: what govs cannot carry is refused by name.
func TestTunMetadataRefusals(t *testing.T) {
	// A reg_load2 to another field is refused by name.
	b := cat(u16b(0xffff), u16b(24), u32b(NXVendorID), u16b(nxastRegLoad2), nxm(nxmClassNX, 0, false, 0, 0, 0, 1), zeros(6))
	if _, err := decodeRegLoad2(b); err == nil || !strings.Contains(err.Error(), "tun_metadata only") {
		t.Fatalf("reg_load2 to reg0: %v", err)
	}
	// A match TLV twice, and one longer than govs's 32-byte slot.
	tlv := func(n int) []byte {
		b := put32(nil, makeNXMHeader(nxmClassNX, nxmFieldTunMetadata0, false, n))
		return append(b, make([]byte, n)...)
	}
	var m flowtable.Match
	if err := decodeNXM(append(tlv(4), tlv(4)...), &m, nil); err == nil {
		t.Fatal("duplicate tun_metadata0 accepted")
	}
	if err := decodeNXM(tlv(36), &m, nil); err == nil {
		t.Fatal("36-byte tun_metadata0 accepted")
	}
	if err := decodeNXM(tlv(8), &m, nil); err != nil || !m.HasTunMetadata(0) {
		t.Fatalf("8-byte tun_metadata0: %v", err)
	}
}
