package xlate

import (
	"sync"

	"govs/flowtable/ofpact"
)

// ControllerInfo is what a packet-in needs beyond the packet: the reason,
// the table and cookie of the rule that sent it, max_len and the
// controller id. Translation interns each distinct ControllerInfo and
// puts its handle in the datapath userspace action's argument.
type ControllerInfo struct {
	Reason ofpact.Reason
	Table  uint8
	Cookie uint64
	MaxLen uint16
	ID     uint16
}

// Userspace argument encoding: the high 32 bits are controllerArgTag,
// the low 32 bits the index of the ControllerInfo in the pipeline's
// intern table (stable for the pipeline's life). Pipeline.ControllerInfo
// decodes it.
const (
	controllerArgTag   = uint64(0x676f7673) << 32 // "govs"
	controllerArgShift = 32
	controllerIdxMask  = 1<<controllerArgShift - 1
)

// controllerTable interns ControllerInfos (upcall path; it may allocate).
type controllerTable struct {
	mu    sync.Mutex
	idx   map[ControllerInfo]uint32 // guarded by mu
	infos []ControllerInfo          // guarded by mu
}

func (t *controllerTable) intern(ci ControllerInfo) uint64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	i, ok := t.idx[ci]
	if !ok {
		if t.idx == nil {
			t.idx = make(map[ControllerInfo]uint32)
		}
		i = uint32(len(t.infos))
		t.infos = append(t.infos, ci)
		t.idx[ci] = i
	}
	return controllerArgTag | uint64(i)
}

// ControllerInfo decodes the argument of a userspace action this pipeline
// emitted (datapath.ControllerHook's cookie).
func (p *Pipeline) ControllerInfo(arg uint64) (ControllerInfo, bool) {
	if arg&^controllerIdxMask != controllerArgTag {
		return ControllerInfo{}, false
	}
	t := &p.ctrl
	t.mu.Lock()
	defer t.mu.Unlock()
	i := arg & controllerIdxMask
	if i >= uint64(len(t.infos)) {
		return ControllerInfo{}, false
	}
	return t.infos[i], true
}
