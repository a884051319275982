package ofp

import (
	"govs/flowtable"
	"govs/flowtable/ofpact"
)

// OpenFlow 1.1+ instruction types (OFPIT_*).
const (
	ofpitGotoTable     = 1
	ofpitWriteMetadata = 2
	ofpitWriteActions  = 3
	ofpitApplyActions  = 4
	ofpitClearActions  = 5
	ofpitMeter         = 6
	ofpitExperimenter  = 0xffff

	instHeaderLen        = 8 // type, len, and 4 bytes of table id/pad
	instWriteMetadataLen = 24
)

// DecodeInstructions parses an OpenFlow 1.1+ instruction list into one
// flat ofpact list (apply actions inline, then clear_actions,
// write_actions(...), write_metadata, goto_table as their ofpact types),
// as OVS ofpacts_pull_openflow_instructions. Each instruction may appear
// once; meter and experimenter instructions are refused.
func DecodeInstructions(b []byte, v uint8) ([]ofpact.Action, error) {
	var (
		seen                      [ofpitMeter + 1]bool
		apply, clear, write, meta []ofpact.Action
		gotoT                     []ofpact.Action
	)
	for len(b) > 0 {
		if len(b) < instHeaderLen {
			return nil, newErr(OFPBIC_BAD_LEN, "instruction truncated")
		}
		r := newReader(b)
		typ, n := r.u16(), int(r.u16())
		if n < instHeaderLen || n%align8 != 0 || n > len(b) {
			return nil, newErr(OFPBIC_BAD_LEN, "instruction type %d has length %d", typ, n)
		}
		body := b[:n]
		b = b[n:]
		if typ == ofpitExperimenter || typ == ofpitMeter {
			return nil, newErr(OFPBIC_UNSUP_INST, "instruction type %d is not supported", typ)
		}
		if typ == 0 || typ > ofpitMeter {
			return nil, newErr(OFPBIC_UNKNOWN_INST, "unknown instruction type %d", typ)
		}
		if seen[typ] {
			return nil, newErr(OFPBIC_DUP_INST, "instruction type %d appears twice", typ)
		}
		seen[typ] = true
		switch typ {
		case ofpitGotoTable:
			if n != instHeaderLen {
				return nil, newErr(OFPBIC_BAD_LEN, "goto_table of length %d", n)
			}
			gotoT = []ofpact.Action{&ofpact.GotoTable{Table: r.u8()}}
		case ofpitWriteMetadata:
			if n != instWriteMetadataLen {
				return nil, newErr(OFPBIC_BAD_LEN, "write_metadata of length %d", n)
			}
			r.skip(4)
			wm := &ofpact.WriteMetadata{Value: r.u64(), Mask: r.u64()}
			if wm.Value&^wm.Mask != 0 {
				return nil, newErr(OFPBIC_UNSUP_METADATA, "write_metadata value has bits outside the mask")
			}
			meta = []ofpact.Action{wm}
		case ofpitClearActions:
			clear = []ofpact.Action{&ofpact.ClearActions{}}
		case ofpitApplyActions, ofpitWriteActions:
			acts, err := DecodeActions(body[instHeaderLen:], v)
			if err != nil {
				return nil, err
			}
			if typ == ofpitApplyActions {
				apply = acts
			} else {
				write = []ofpact.Action{&ofpact.WriteActions{Actions: acts}}
			}
		}
	}
	out := append(apply, clear...)
	out = append(out, write...)
	out = append(out, meta...)
	return append(out, gotoT...), nil
}

// AppendInstructions appends acts as an OpenFlow 1.1+ instruction list
// (ofpacts_put_openflow_instructions): runs of plain actions become
// APPLY_ACTIONS; instruction ofpacts become their instructions.
func AppendInstructions(b []byte, acts []ofpact.Action, v uint8, m *flowtable.Match) ([]byte, error) {
	ctx := newActionCtx(m)
	var err error
	for i := 0; i < len(acts); {
		var s int
		switch a := acts[i].(type) {
		case *ofpact.GotoTable:
			b, s = appendActHdr(b, ofpitGotoTable)
			b = put8(b, a.Table)
			b = closeAct(b, s)
			i++
		case *ofpact.WriteMetadata:
			b, s = appendActHdr(b, ofpitWriteMetadata)
			b = putZeros(b, 4)
			b = put64(b, a.Value)
			b = put64(b, a.Mask)
			b = closeAct(b, s)
			i++
		case *ofpact.ClearActions:
			b, s = appendActHdr(b, ofpitClearActions)
			b = closeAct(putZeros(b, 4), s)
			i++
		case *ofpact.WriteActions:
			b, s = appendActHdr(b, ofpitWriteActions)
			b = putZeros(b, 4)
			wctx := ctx
			for _, x := range a.Actions {
				if b, err = appendAction(b, x, v, &wctx); err != nil {
					return b, err
				}
			}
			b = closeAct(b, s)
			i++
		default:
			b, s = appendActHdr(b, ofpitApplyActions)
			b = putZeros(b, 4)
			for ; i < len(acts) && !isInstruction(acts[i]); i++ {
				if b, err = appendAction(b, acts[i], v, &ctx); err != nil {
					return b, err
				}
			}
			b = closeAct(b, s)
		}
	}
	return b, nil
}

func isInstruction(a ofpact.Action) bool {
	switch a.(type) {
	case *ofpact.GotoTable, *ofpact.WriteMetadata, *ofpact.ClearActions, *ofpact.WriteActions:
		return true
	}
	return false
}
