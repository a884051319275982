package flowsyntax

import (
	"strconv"

	"govs/flowtable"
	"govs/flowtable/ofpact"
)

// FlowStats is one flow of a flow-stats reply, as dump-flows prints it.
type FlowStats struct {
	Cookie       uint64
	DurationSec  uint32
	DurationNsec uint32
	Table        uint8
	NPackets     uint64 // ^0: unknown ("?")
	NBytes       uint64 // ^0: unknown
	IdleTimeout  uint16
	HardTimeout  uint16
	Flags        Flags
	Importance   uint16
	IdleAge      int // seconds; <0: not available (OpenFlow 1.1+)
	HardAge      int // seconds; <0: not available
	Priority     uint16
	Match        flowtable.Match
	Actions      []ofpact.Action
}

// StatsOptions control dump-flows formatting.
type StatsOptions struct {
	// ShowStats prints cookie/duration/table/n_packets/n_bytes/ages
	// (ovs-ofctl default; --no-stats clears it).
	ShowStats bool
	// Version is the OpenFlow version of the connection, which decides how
	// actions read back (ofpact.OF10 or ofpact.OF13).
	Version ofpact.FormatVersion
	// Ports renders port names (--names); nil renders numbers. As in
	// ovs-ofctl, a dump with names has no reply header line and no
	// idle_age.
	Ports *flowtable.PortMap
}

// AppendFlowStatsReply appends a whole dump-flows reply as ovs-ofctl prints
// it: the "NXST_FLOW reply (xid=0x4):" or "OFPST_FLOW reply (OF1.3)
// (xid=0x2):" header (omitted with port names), then one line per flow,
// each starting with a space. It applies the wire rules of o.Version:
// OpenFlow 1.0 (NXST_FLOW) carries idle_age but no flags or importance;
// OpenFlow 1.3 carries flags but no ages or importance.
func AppendFlowStatsReply(b []byte, flows []FlowStats, xid uint32, o *StatsOptions) []byte {
	if o.Ports == nil {
		if o.Version == ofpact.OF10 {
			b = append(b, "NXST_FLOW reply"...)
		} else {
			b = append(b, "OFPST_FLOW reply (OF1.3)"...)
		}
		b = append(b, " (xid=0x"...)
		b = strconv.AppendUint(b, uint64(xid), 16)
		b = append(b, "):\n"...)
	}
	for i := range flows {
		fs := flows[i]
		fs.Importance = 0
		if o.Version == ofpact.OF10 {
			fs.Flags = 0
		} else {
			fs.IdleAge, fs.HardAge = -1, -1
		}
		if o.Ports != nil {
			fs.IdleAge, fs.HardAge = -1, -1
		}
		b = append(b, ' ')
		b = AppendFlowStats(b, &fs, o)
		b = append(b, '\n')
	}
	return b
}

// AppendFlowStats appends one dump-flows line body (without the leading
// space), as ofputil_flow_stats_format.
func AppendFlowStats(b []byte, fs *FlowStats, o *StatsOptions) []byte {
	if o.ShowStats || fs.Cookie != 0 {
		b = append(b, "cookie=0x"...)
		b = strconv.AppendUint(b, fs.Cookie, 16)
		b = append(b, ", "...)
	}
	if o.ShowStats {
		b = append(b, "duration="...)
		b = appendDuration(b, fs.DurationSec, fs.DurationNsec)
		b = append(b, "s, "...)
	}
	if o.ShowStats || fs.Table != 0 {
		b = append(b, "table="...)
		b = strconv.AppendUint(b, uint64(fs.Table), 10)
		b = append(b, ", "...)
	}
	if o.ShowStats {
		b = appendStat(b, "n_packets=", fs.NPackets)
		b = appendStat(b, "n_bytes=", fs.NBytes)
	}
	if fs.IdleTimeout != 0 {
		b = append(b, "idle_timeout="...)
		b = strconv.AppendUint(b, uint64(fs.IdleTimeout), 10)
		b = append(b, ", "...)
	}
	if fs.HardTimeout != 0 {
		b = append(b, "hard_timeout="...)
		b = strconv.AppendUint(b, uint64(fs.HardTimeout), 10)
		b = append(b, ", "...)
	}
	b = appendFlags(b, fs.Flags)
	if fs.Importance != 0 {
		b = append(b, "importance="...)
		b = strconv.AppendUint(b, uint64(fs.Importance), 10)
		b = append(b, ", "...)
	}
	if o.ShowStats && fs.IdleAge >= 0 {
		b = append(b, "idle_age="...)
		b = strconv.AppendInt(b, int64(fs.IdleAge), 10)
		b = append(b, ", "...)
	}
	if o.ShowStats && fs.HardAge >= 0 && fs.HardAge != int(fs.DurationSec) {
		b = append(b, "hard_age="...)
		b = strconv.AppendInt(b, int64(fs.HardAge), 10)
		b = append(b, ", "...)
	}
	n := len(b)
	b = flowtable.AppendMatch(b, &fs.Match, int(fs.Priority), o.Ports)
	if len(b) != n {
		b = append(b, ' ')
	}
	b = append(b, "actions="...)
	return ofpact.AppendActions(b, fs.Actions, o.Version, o.Ports)
}

func appendStat(b []byte, name string, v uint64) []byte {
	b = append(b, name...)
	if v == ^uint64(0) {
		b = append(b, '?')
	} else {
		b = strconv.AppendUint(b, v, 10)
	}
	return append(b, ", "...)
}

// appendDuration is ofp_print_duration: seconds, then ".mmm" when the
// fraction is whole milliseconds, else the shortest exact nanoseconds.
func appendDuration(b []byte, sec, nsec uint32) []byte {
	b = strconv.AppendUint(b, uint64(sec), 10)
	if nsec == 0 {
		return b
	}
	const nsPerMs = 1000000
	if ms := nsec / nsPerMs; ms*nsPerMs == nsec {
		b = append(b, '.')
		return appendPadded(b, uint64(ms), 3)
	}
	b = append(b, '.')
	b = appendPadded(b, uint64(nsec), 9)
	for b[len(b)-1] == '0' {
		b = b[:len(b)-1]
	}
	return b
}

func appendPadded(b []byte, v uint64, w int) []byte {
	var tmp [20]byte
	s := strconv.AppendUint(tmp[:0], v, 10)
	for i := len(s); i < w; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}
