package ofp

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"govs/flowtable"
	"govs/flowtable/flowsyntax"
)

// goldenFile holds messages captured from the real ovs-ofctl 3.1, with
// the ofp-print text of flow mods, so the codec is checked without the
// tool. Regenerate with GOVS_UPDATE_GOLDEN=1 go test -run TestCaptureOfctl.
const goldenFile = "testdata/ofctl_capture.txt"

// ofctlRuns are the ovs-ofctl invocations captured ("SW" is the socket).
var ofctlRuns = [][]string{
	{"add-flow", "SW", "in_port=p1,actions=output:p2"},
	{"add-flow", "SW", "priority=100,dl_src=00:11:22:33:44:55,dl_dst=66:77:88:99:aa:bb,dl_vlan=10,actions=strip_vlan,output:1"},
	{"add-flow", "SW", "tcp,nw_src=10.0.0.0/8,nw_dst=192.168.1.1,tp_dst=80,actions=mod_nw_dst:1.1.1.1,mod_tp_dst:8080,output:2"},
	{"add-flow", "SW", "udp,dl_vlan_pcp=3,nw_tos=16,tp_src=53,idle_timeout=10,hard_timeout=20,actions=mod_vlan_vid:5,mod_vlan_pcp:2,mod_dl_src:00:00:00:00:00:01,mod_dl_dst:00:00:00:00:00:02,mod_nw_src:2.2.2.2,mod_nw_tos:8,mod_tp_src:99,enqueue:1:3"},
	{"add-flow", "SW", "arp,arp_spa=10.0.0.1,arp_op=1,cookie=0x123,actions=NORMAL"},
	{"add-flow", "SW", "icmp,icmp_type=8,icmp_code=0,send_flow_rem,actions=CONTROLLER:100,LOCAL,IN_PORT,FLOOD,ALL"},
	{"add-flow", "SW", "dl_vlan=0xffff,actions=drop"},
	{"add-flow", "SW", "table=1,priority=5,tun_id=0x5,actions=resubmit(,2)"},
	{"add-flow", "SW", "priority=7,reg0=1,reg1=0x10/0xf0,actions=drop"},
	{"add-flow", "SW", "ipv6,ipv6_src=2001:db8::1,ipv6_dst=2001:db8::/32,ipv6_label=0x12345,actions=dec_ttl,output:1"},
	{"add-flow", "SW", "icmp6,icmp_type=135,nd_target=fe80::1,nd_sll=00:11:22:33:44:55,actions=output:2"},
	{"add-flow", "SW", "tcp,tcp_flags=+syn-ack,nw_ttl=64,ip_frag=no,nw_ecn=1,actions=load:0x1->NXM_NX_REG1[],move:NXM_OF_IN_PORT[]->NXM_NX_REG2[0..15],set_tunnel:0x10,set_tunnel64:0x100000000,note:01.02.03,dec_ttl(1,2),controller(reason=no_match,max_len=100,id=5)"},
	{"add-flow", "SW", "arp,arp_sha=00:11:22:33:44:55,arp_tha=00:00:00:00:00:01/ff:ff:ff:00:00:00,actions=resubmit:3,resubmit(1,2)"},
	{"add-flow", "SW", "vlan_tci=0x1000/0x1000,tun_src=1.1.1.1,tun_dst=2.2.2.0/24,actions=write_metadata:0x5/0xff"},
	{"add-flow", "SW", "tun_id=0x7,tun_src=10.1.1.42,tun_flags=+oam,actions=load:0x1->NXM_NX_TUN_FLAGS[],output:1"},
	{"add-flow", "SW", "metadata=0x10,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00,actions=mod_nw_ecn:2,mod_nw_ttl:9,output:1"},
	{"add-flow", "SW", "dl_type=0x88cc,actions=output:CONTROLLER"},
	{"add-flow", "SW", "rarp,arp_tpa=1.2.3.4,actions=enqueue:LOCAL:7"},
	{"add-flow", "SW", "sctp,sctp_dst=9,actions=drop"},
	{"add-flow", "SW", "ip,ip_dscp=10,nw_frag=later,actions=load:0x1234->NXM_OF_ETH_SRC[0..15],move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[]"},
	{"add-flow", "SW", "icmp6,icmp_type=136,nd_tll=00:00:00:00:00:07,actions=dec_ttl(0),note:0102030405060708090a"},
	{"add-flow", "SW", "vlan_tci=0x1005/0x1fff,actions=strip_vlan,set_field:00:11:22:33:44:55->eth_src,set_field:5->reg3,output:1"},
	{"add-flow", "SW", "ip,actions=mod_nw_ecn:3,set_field:1->metadata,controller(max_len=50),set_field:1.2.3.4->nw_src"},
	{"add-flow", "SW", "tcp6,tcp_flags=+syn-rst,ipv6_dst=::/64,actions=set_field:8->tcp_src,mod_vlan_pcp:7"},
	{"mod-flows", "SW", "in_port=p1,actions=drop"},
	{"mod-flows", "SW", "cookie=0x7,in_port=p1,actions=drop"},
	{"add-flow", "SW", "table=3,actions=goto_table:4"},
	{"del-flows", "SW"},
	{"del-flows", "SW", "in_port=p1"},
	{"del-flows", "SW", "cookie=0x5/-1,tcp"},
	{"dump-flows", "SW"},
	{"dump-aggregate", "SW"},
	{"dump-ports", "SW"},
	{"dump-ports-desc", "SW"},
	{"dump-desc", "SW"},
	{"show", "SW"},
	{"mod-port", "SW", "p2", "no-flood"},
	{"packet-out", "SW", "in_port=1 packet=ffffffffffff0000000000010806000108000604000100000000000 1c0a80001000000000000c0a80002 actions=output:2"},
	{"-O", "OpenFlow13", "add-flow", "SW", "ip,nw_dst=1.2.3.4,actions=set_field:1.2.3.5->ip_dst,goto_table:3"},
	{"-O", "OpenFlow13", "add-flow", "SW", "in_port=p1,dl_vlan=10,actions=mod_vlan_vid:20,output:p2"},
	{"-O", "OpenFlow13", "add-flow", "SW", "in_port=p1,actions=mod_vlan_vid:20,output:p2"},
	{"-O", "OpenFlow13", "add-flow", "SW", "tcp,tp_src=1,actions=mod_tp_dst:2,push_vlan:0x8100,set_field:4097->vlan_vid,pop_vlan,dec_ttl,mod_nw_ttl:5,output:1"},
	{"-O", "OpenFlow13", "add-flow", "SW", "table=1,udp6,ipv6_dst=::1,actions=clear_actions,write_actions(output:1),write_metadata:0x1/0x1,goto_table:2"},
	{"-O", "OpenFlow13", "add-flow", "SW", "tcp,tcp_flags=+syn,actions=enqueue:1:2"},
	{"-O", "OpenFlow13", "add-flow", "SW", "reg3=5,tun_id=0x7/0xff,metadata=0x1/0x3,actions=load:0x5->NXM_NX_REG4[0..3],move:NXM_NX_REG3[]->NXM_NX_REG5[]"},
	{"-O", "OpenFlow13", "add-flow", "SW", "dl_vlan=5,dl_vlan_pcp=3,actions=drop"},
	{"-O", "OpenFlow13", "add-flow", "SW", "icmp,icmp_type=3,nw_tos=4,actions=mod_nw_ecn:1,mod_dl_dst:00:00:00:00:00:09,mod_nw_tos:16,CONTROLLER:65535"},
	{"-O", "OpenFlow13", "add-flow", "SW", "arp,arp_tpa=10.1.0.0/16,actions=set_field:10.0.0.1->arp_spa,set_tunnel:0x99"},
	{"-O", "OpenFlow13", "add-flow", "SW", "in_port=LOCAL,ip,ip_dscp=10,nw_ecn=2,nw_frag=first,actions=set_field:00:11:22:33:44:55/ff:ff:ff:00:00:00->eth_src,set_field:0x5->reg3"},
	{"-O", "OpenFlow13", "add-flow", "SW", "ip,dl_vlan=7,actions=mod_vlan_vid:8,mod_vlan_pcp:1,dec_ttl(0),note:ab,controller(reason=invalid_ttl)"},
	{"-O", "OpenFlow13", "add-flow", "SW", "arp,arp_sha=00:00:00:00:00:01,arp_op=2,actions=move:NXM_NX_ARP_SHA[]->NXM_OF_ETH_DST[],load:0->NXM_OF_ETH_SRC[0..7],output:IN_PORT"},
	{"-O", "OpenFlow13", "add-flow", "SW", "sctp6,sctp_src=1,ipv6_label=0x3,actions=mod_tp_src:3"},
	{"-O", "OpenFlow13", "add-flow", "SW", "icmp6,icmp_type=135,nd_target=::1,nd_sll=00:00:00:00:00:01,actions=output:2"},
	{"-O", "OpenFlow13", "add-flow", "SW", "vlan_tci=0/0x1000,actions=push_vlan:0x88a8,set_field:4096->vlan_vid"},
	{"-O", "OpenFlow13", "mod-flows", "SW", "cookie=0x7/-1,ip,actions=output:1"},
	{"-O", "OpenFlow13", "del-flows", "SW"},
	{"-O", "OpenFlow13", "del-flows", "SW", "table=2,cookie=0x10/0xff,ip"},
	{"-O", "OpenFlow13", "dump-flows", "SW"},
	{"-O", "OpenFlow13", "dump-aggregate", "SW"},
	{"-O", "OpenFlow13", "dump-ports", "SW"},
	{"-O", "OpenFlow13", "dump-ports-desc", "SW"},
	{"-O", "OpenFlow13", "mod-port", "SW", "p2", "no-forward"},
	{"-O", "OpenFlow13", "packet-out", "SW", "in_port=LOCAL packet=ffffffffffff000000000001080600010800060400010000000000 01c0a80001000000000000c0a80002 actions=output:1"},
}

type golden struct {
	hex  string
	text string // ofp-print text of flow mods (first line), or ""
}

// flowModText formats a decoded flow mod as ofp-print does.
func flowModText(fm *FlowMod) string {
	p := flowtable.ProtoOF13OXM
	if fm.Version == Version10 {
		switch {
		case fm.Format == FormatNXM && fm.TableIDExt:
			p = flowtable.ProtoOF10NXMTID
		case fm.Format == FormatNXM:
			p = flowtable.ProtoOF10NXM
		case fm.TableIDExt:
			p = flowtable.ProtoOF10StdTID
		default:
			p = flowtable.ProtoOF10Std
		}
	}
	return string(flowsyntax.AppendFlowMod(nil, &fm.FlowMod, p, fm.Xid, nil))
}

// checkMessage decodes b, re-encodes it byte for byte and, for flow mods,
// compares the formatted decode with want (if non-empty).
func checkMessage(t *testing.T, b []byte, want string) {
	t.Helper()
	m, err := Decode(b)
	const decodeErr = "***decode error: "
	if i := strings.Index(want, decodeErr); i >= 0 {
		code := strings.TrimSuffix(want[i+len(decodeErr):], "***")
		if err == nil || AsError(err).Code.String() != code {
			t.Errorf("decode %x: got error %v, want %s (as ofp-print)", b, err, code)
		}
		return
	}
	if err != nil {
		t.Errorf("decode %x: %v", b, err)
		return
	}
	out, err := MarshalBinary(m)
	if err != nil {
		t.Errorf("re-encode %T from %x: %v", m, b, err)
		return
	}
	if !bytes.Equal(out, b) {
		t.Errorf("%T re-encodes differently:\n got %x\nwant %x", m, out, b)
	}
	if fm, ok := m.(*FlowMod); ok && want != "" {
		if got := flowModText(fm); got != want {
			t.Errorf("flow mod %x formats as\n %s\nwant (ofp-print)\n %s", b, got, want)
		}
	}
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// TestCaptureOfctl drives the real ovs-ofctl against a fake switch, and
// checks every message it sends: decode, byte-identical re-encode, and
// for flow mods the decoded match/actions formatted by flowtable equal
// ovs-ofctl's own ofp-print of the same bytes.
func TestCaptureOfctl(t *testing.T) {
	sw := newFakeSwitch(t)
	var all []golden
	parsed := 0
	defer func() { t.Logf("%d flows compared with parse-flow", parsed) }()
	for _, args := range ofctlRuns {
		args := append([]string(nil), args...)
		for i, a := range args {
			args[i] = strings.ReplaceAll(a, " 1c0a8", "1c0a8")
			args[i] = strings.ReplaceAll(args[i], "0000 01c0", "000001c0")
		}
		_, runErr := sw.tryOfctl(t, args...)
		refused := false
		var fms []*FlowMod
		for _, b := range sw.take() {
			if m, err := Decode(b); err == nil {
				if fm, ok := m.(*FlowMod); ok {
					fms = append(fms, fm)
				}
			}
			g := golden{hex: hex.EncodeToString(b)}
			if b[1] == TypeFlowMod || (b[1] == TypeVendor && len(b) >= nxHeaderLen && binary.BigEndian.Uint32(b[HeaderLen+4:]) == nxtFlowMod) {
				g.text = firstLine(ofpPrint(t, b))
			}
			checkMessage(t, b, g.text)
			refused = refused || strings.Contains(g.text, "decode error")
			all = append(all, g)
		}
		if checkParseFlow(t, args, fms) {
			parsed++
		}
		if runErr != nil && !refused {
			t.Error(runErr)
		}
		if runErr == nil && refused {
			t.Errorf("ovs-ofctl %v accepted a flow mod the switch refused", args)
		}
	}
	if os.Getenv("GOVS_UPDATE_GOLDEN") != "" {
		var buf bytes.Buffer
		buf.WriteString("# Captured from ovs-ofctl 3.1 by TestCaptureOfctl; one message per hex line, followed by its ofp-print text for flow mods.\n")
		for _, g := range all {
			fmt.Fprintf(&buf, "hex %s\n", g.hex)
			if g.text != "" {
				fmt.Fprintf(&buf, "text %s\n", g.text)
			}
		}
		if err := os.WriteFile(filepath.FromSlash(goldenFile), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// checkParseFlow compares the flow mod ovs-ofctl add-flow sent, decoded
// and formatted by flowtable, with what `ovs-ofctl parse-flow` prints for
// the same flow (its third line, xid 1). Flows naming ports are skipped
// (parse-flow has no switch to resolve names).
func checkParseFlow(t *testing.T, args []string, fms []*FlowMod) bool {
	t.Helper()
	n := len(args)
	if n < 3 || args[n-3] != "add-flow" || len(fms) != 1 || strings.Contains(args[n-1], "=p") {
		return false
	}
	pargs := append(append([]string(nil), args[:n-3]...), "parse-flow", args[n-1])
	ctx, cancel := context.WithTimeout(context.Background(), toolTimeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, ofctlPath(t), pargs...).Output()
	if err != nil {
		t.Errorf("ovs-ofctl %v: %v", pargs, err)
		return false
	}
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	const parseFlowLines = 3
	if len(lines) != parseFlowLines {
		t.Errorf("parse-flow output %q", out)
		return false
	}
	fm := *fms[0]
	fm.Xid = 1
	if got := flowModText(&fm); got != lines[2] {
		t.Errorf("add-flow %s:\n decoded  %s\n parse-flow %s", args[n-1], got, lines[2])
	}
	return true
}

func loadGolden(t testing.TB) []golden {
	f, err := os.Open(filepath.FromSlash(goldenFile))
	if err != nil {
		t.Fatalf("golden file: %v", err)
	}
	defer f.Close()
	var gs []golden
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<16), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "hex "):
			gs = append(gs, golden{hex: line[len("hex "):]})
		case strings.HasPrefix(line, "text ") && len(gs) > 0:
			gs[len(gs)-1].text = line[len("text "):]
		}
	}
	return gs
}

// TestGoldenFile checks the committed captures without ovs-ofctl.
func TestGoldenFile(t *testing.T) {
	gs := loadGolden(t)
	if len(gs) == 0 {
		t.Fatal("no golden messages")
	}
	for _, g := range gs {
		b, err := hex.DecodeString(g.hex)
		if err != nil {
			t.Fatal(err)
		}
		checkMessage(t, b, g.text)
	}
}
