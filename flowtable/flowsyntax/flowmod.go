package flowsyntax

import (
	"govs/flowtable"
	"govs/flowtable/ofpact"
)

// Command is a flow_mod command (OFPFC_*), or a pseudo-command for
// match-only parsing.
type Command int

// Commands.
const (
	CmdAdd Command = iota
	CmdModify
	CmdModifyStrict
	CmdDelete
	CmdDeleteStrict
	// CmdStats parses dump-flows / del-flows style match-only strings
	// (OVS command -1): out_port and out_group allowed, no actions.
	CmdStats Command = -1
	// CmdAuto accepts an optional leading "add", "modify", "delete",
	// "modify_strict" or "delete_strict" (add-flows file syntax, -2).
	CmdAuto Command = -2
)

var cmdNames = [...]string{"ADD", "MOD", "MOD_STRICT", "DEL", "DEL_STRICT"}

func (c Command) String() string {
	if c >= 0 && int(c) < len(cmdNames) {
		return cmdNames[c]
	}
	return "cmd"
}

// Flags are flow_mod flags (OFPUTIL_FF_*).
type Flags uint16

// Flow mod flags.
const (
	FlagSendFlowRem Flags = 1 << iota
	FlagCheckOverlap
	FlagResetCounts
	FlagNoPacketCounts
	FlagNoByteCounts
)

// Reserved values.
const (
	// TableAll means "no table given" (255; OFPTT_ALL).
	TableAll = 255
	// GroupAny is OFPG_ANY.
	GroupAny = 0xffffffff
	// CookieNoChange is the new_cookie value meaning "do not change".
	CookieNoChange = ^uint64(0)
)

// FlowMod is a parsed flow: the match, the non-match flow fields and the
// actions. It is a plain value; Actions are owned by the FlowMod and must
// not be modified once it is handed to the flow table.
type FlowMod struct {
	Command      Command
	Match        flowtable.Match
	Priority     uint16
	Table        uint8 // TableAll when not given
	Cookie       uint64
	CookieMask   uint64
	NewCookie    uint64
	ModifyCookie bool
	IdleTimeout  uint16
	HardTimeout  uint16
	Importance   uint16
	Flags        Flags
	OutPort      flowtable.PortNo // PortNone (ANY) when not given
	OutGroup     uint32           // GroupAny when not given
	Actions      []ofpact.Action
}

// appendFlags appends "send_flow_rem check_overlap ..." each followed by a
// space (ofputil_flow_mod_flags_format).
func appendFlags(b []byte, f Flags) []byte {
	names := [...]string{"send_flow_rem ", "check_overlap ", "reset_counts ", "no_packet_counts ", "no_byte_counts "}
	for i, n := range names {
		if f&(1<<uint(i)) != 0 {
			b = append(b, n...)
		}
	}
	return b
}
