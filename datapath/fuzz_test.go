package datapath

import (
	"encoding/binary"
	"testing"

	"govs/datapath/flow"
	"govs/ports"
)

// fuzzActions decodes an action list from prog: 3 bytes per action (kind,
// two argument bytes). Ports 2, 3 and an unknown one are reachable.
func fuzzActions(prog []byte) Actions {
	var acts Actions
	for len(prog) >= 3 && len(acts) < 16 {
		kind := ActionKind(prog[0] % uint8(numActionKinds+1)) // 0 and numActionKinds are invalid kinds
		arg := binary.BigEndian.Uint16(prog[1:])
		prog = prog[3:]
		a := Action{Kind: kind}
		switch kind {
		case ActOutput, ActTunnelPush, ActTunnelPop:
			a.Port = flow.PortNo(2 + arg%3)
			a.TnlPort, a.Arg = 7, uint64(arg)
		case ActPushVLAN:
			a.TPID, a.TCI = ethTypeVLAN, arg
		case ActSetEthSrc, ActSetEthDst:
			a.MAC = mac(byte(arg))
		case ActSetIPv4Src, ActSetIPv4Dst, ActSetARPSpa, ActSetARPTpa:
			a.Addr = uint32(arg) << 8
		case ActSetARPSha, ActSetARPTha:
			a.MAC = mac(byte(arg))
		case ActSetARPOp:
			a.U16 = arg
		case ActSetIPv4Tos, ActSetIPv4TTL:
			a.U8 = byte(arg)
		case ActSetTpSrc, ActSetTpDst:
			a.TpPort, a.Proto = arg, ipProtoUDP
		case ActUserspace:
			a.Arg = uint64(arg)
		}
		acts = append(acts, a)
	}
	return acts
}

// FuzzProcessBatch feeds arbitrary frames and arbitrary action lists
// through the whole pipeline (hooks installed): it must never panic, never
// emit more frames than the actions allow, and keep its flow accounting.
func FuzzProcessBatch(f *testing.F) {
	frame := udpFrame(2, 1, 1, 2, 3, 4)
	f.Add(frame, []byte{byte(ActOutput), 0, 0}, uint8(3))
	f.Add(vlanFrame(frame, 5), []byte{byte(ActPopVLAN), 0, 0, byte(ActOutput), 0, 1}, uint8(1))
	f.Add(frame[:20], []byte{byte(ActPushVLAN), 0, 9, byte(ActOutput), 0, 0, byte(ActDecTTL), 0, 0, byte(ActOutput), 0, 1}, uint8(2))
	f.Add(append(make([]byte, fakeTunHdr), frame...), []byte{byte(ActTunnelPop), 0, 0}, uint8(4))
	f.Add(frame, []byte{byte(ActSetIPv4Src), 1, 2, byte(ActSetTpDst), 3, 4, byte(ActTunnelPush), 0, 1, byte(ActUserspace), 0, 0, byte(ActOutput), 0, 2}, uint8(32))
	f.Add([]byte{}, []byte{}, uint8(0))
	f.Fuzz(func(t *testing.T, data, prog []byte, n uint8) {
		acts := fuzzActions(prog)
		up := newUpcaller(func(k, mask *flow.Key, out *Actions) error {
			if len(prog) > 0 && prog[0] == 0xff {
				return errTestUpcall
			}
			maskEthDst(mask)
			if len(prog) > 1 && prog[1]&1 != 0 {
				mask.SetIPv4Src(^uint32(0))
			}
			*out = append(*out, acts...)
			return nil
		})
		dp, s2, s3 := newTestDP(t, up, Config{EMCInsertInvProb: 1, FlowLimit: 4})
		dp.SetControllerHook(&countingController{})
		dp.SetTunnelHook(fakeTunnel{})
		if len(data) > ports.MaxFrameLen {
			data = data[:ports.MaxFrameLen]
		}
		count := int(n)%ports.BatchSize + 1
		b := ports.NewBatch()
		for i := 0; i < count; i++ {
			b.Len[i] = copy(b.Bufs[i][ports.Headroom:], data)
			if i%2 == 1 && len(data) > 4 {
				b.Bufs[i][ports.Headroom+len(data)-1] ^= byte(i) // vary flows
			}
		}
		b.N = count
		w := dp.Worker(0)
		w.ProcessBatch(1, b)
		w.ProcessBatch(1, b)
		outs := 0
		for _, a := range acts {
			if a.Kind == ActOutput || a.Kind == ActTunnelPush || a.Kind == ActTunnelPop {
				outs++
			}
		}
		// A tunnel pop recirculates once and may output again.
		if got := s2.packets.Load() + s3.packets.Load(); got > int64(2*count*outs*(1+outs)) {
			t.Fatalf("%d frames out of %d packets with %d outputs", got, count, outs)
		}
		total := 0
		for _, c := range w.cls {
			total += c.nflows
		}
		if total != dp.FlowCount() || total > 4 {
			t.Fatalf("flow count %d, classifiers %d", dp.FlowCount(), total)
		}
		dp.Revalidate()
		dp.Flush()
		if dp.FlowCount() != 0 {
			t.Fatal("flush left flows")
		}
	})
}
