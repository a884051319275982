package ofctl

import (
	"fmt"
	"strings"

	"govs/ofproto/ofp"
)

// of10Wildcards maps OpenFlow 1.0 table-stats wildcard bits to field names,
// in meta-flow (MFF_*) order, as mf_bitmap_from_of10 + print_mf_bitmap.
var of10Wildcards = []struct {
	bits uint32
	name string
}{
	{1 << 0, "in_port"},
	{1 << 2, "eth_src"},
	{1 << 3, "eth_dst"},
	{1 << 4, "eth_type"},
	{1 << 1, "vlan_vid"},
	{1 << 20, "vlan_pcp"},
	{0x3f << 8, "ip_src"},
	{0x3f << 14, "ip_dst"},
	{1 << 5, "nw_proto"},
	{1 << 21, "nw_tos"},
	{1 << 6, "tcp_src"},
	{1 << 7, "tcp_dst"},
}

// appendFieldGroups prints names grouped by prefix: "eth_{src,dst,type}".
func appendFieldGroups(b []byte, names []string) []byte {
	for i := 0; i < len(names); {
		prefix, _, ok := strings.Cut(names[i], "_")
		j := i + 1
		for ok && j < len(names) && strings.HasPrefix(names[j], prefix+"_") {
			j++
		}
		b = append(b, ' ')
		if j-i == 1 {
			b = append(b, names[i]...)
		} else {
			b = append(b, prefix...)
			b = append(b, "_{"...)
			for k := i; k < j; k++ {
				if k > i {
					b = append(b, ',')
				}
				b = append(b, names[k][len(prefix)+1:]...)
			}
			b = append(b, '}')
		}
		i = j
	}
	return b
}

// tableView is what ofputil_decode_table_stats_reply yields for printing.
type tableView struct {
	id         uint8
	name       string
	maxEntries uint32 // OpenFlow 1.0 only (1.3 table stats carry no features)
	wildcards  uint32 // OpenFlow 1.0 only
	active     uint32
	lookup     uint64
	matched    uint64
}

func (t *tableView) sameStats(p *tableView) bool {
	return t.active == p.active && t.lookup == p.lookup && t.matched == p.matched
}

func (t *tableView) sameFeatures(p *tableView) bool {
	return t.maxEntries == p.maxEntries && t.wildcards == p.wildcards
}

func (t *tableView) emptyFeatures() bool { return t.maxEntries == 0 && t.wildcards == 0 }

// appendTableStats is ofp_print_table_stats_reply with its "ditto" runs.
func appendTableStats(b []byte, tables []ofp.TableStats, v uint8) []byte {
	firstDitto, lastDitto := -1, -1
	var prev *tableView
	for i := range tables {
		ts := &tables[i]
		t := &tableView{id: ts.TableID, name: ts.Name, active: ts.ActiveCount,
			lookup: ts.LookupCount, matched: ts.MatchedCount}
		if v == ofp.Version10 {
			t.maxEntries, t.wildcards = ts.MaxEntries, ts.Wildcards
		}
		b = appendTableFeatures(b, t, prev, &firstDitto, &lastDitto)
		prev = t
	}
	return appendDittoFinish(b, firstDitto, lastDitto)
}

func appendTableFeatures(b []byte, t, prev *tableView, firstDitto, lastDitto *int) []byte {
	sameStats := prev != nil && t.sameStats(prev)
	sameFeatures := prev != nil && t.sameFeatures(prev)
	if sameStats && sameFeatures && t.name == "" {
		if *firstDitto < 0 {
			*firstDitto = int(t.id)
		}
		*lastDitto = int(t.id)
		return b
	}
	b = appendDittoFinish(b, *firstDitto, *lastDitto)
	*firstDitto = -1
	b = fmt.Appendf(b, "\n  table %d", t.id)
	if t.name != "" {
		b = fmt.Appendf(b, " (\"%s\")", t.name)
	}
	b = append(b, ':')
	if sameStats && sameFeatures {
		return append(b, " ditto"...)
	}
	b = append(b, '\n')
	b = fmt.Appendf(b, "    active=%d, lookup=%d, matched=%d\n", t.active, t.lookup, t.matched)
	if sameFeatures {
		if !t.emptyFeatures() {
			b = append(b, "    (same features)\n"...)
		}
		return b
	}
	if t.maxEntries != 0 {
		b = fmt.Appendf(b, "    max_entries=%d\n", t.maxEntries)
	}
	if t.wildcards != 0 {
		var names []string
		for _, w := range of10Wildcards {
			if t.wildcards&w.bits != 0 {
				names = append(names, w.name)
			}
		}
		if prev != nil && prev.wildcards == t.wildcards {
			b = append(b, "    (same matching)\n"...)
		} else if len(names) > 0 {
			b = append(b, "    matching:\n      exact match or wildcard:"...)
			b = appendFieldGroups(b, names)
			b = append(b, '\n')
		}
	}
	return b
}

func appendDittoFinish(b []byte, first, last int) []byte {
	if first < 0 {
		return b
	}
	if first == last {
		return fmt.Appendf(b, "\n  table %d: ditto\n", first)
	}
	return fmt.Appendf(b, "\n  tables %d...%d: ditto\n", first, last)
}
