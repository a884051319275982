package afxdp

import (
	"fmt"

	"github.com/cilium/ebpf"
	"github.com/cilium/ebpf/asm"
	"github.com/cilium/ebpf/link"
)

const (
	xdpPass = 2 // XDP_PASS
	// xdpMdRxQueueIndex is the offset of rx_queue_index in struct xdp_md.
	xdpMdRxQueueIndex = 16
)

// xdpProg is the redirect program and its XSKMAP. The map has one entry,
// for rx queue 0, where Open puts the socket.
type xdpProg struct {
	prog *ebpf.Program
	xsks *ebpf.Map
}

// newXDPProg loads
//
//	return bpf_redirect_map(&xsks, ctx->rx_queue_index, XDP_PASS);
//
// built with cilium/ebpf's assembler (no C compiler at build time). With no
// socket at the frame's queue (another queue, or the socket is gone),
// bpf_redirect_map returns the flags' action, XDP_PASS (Linux >= 5.3), so
// those frames go to the kernel stack as if no program were attached.
func newXDPProg() (*xdpProg, error) {
	xsks, err := ebpf.NewMap(&ebpf.MapSpec{
		Name:       "govs_xsks",
		Type:       ebpf.XSKMap,
		KeySize:    4, // rx queue index
		ValueSize:  4, // AF_XDP socket fd
		MaxEntries: 1,
	})
	if err != nil {
		return nil, fmt.Errorf("create XSKMAP: %v", err)
	}
	prog, err := ebpf.NewProgram(&ebpf.ProgramSpec{
		Name:    "govs_xsk",
		Type:    ebpf.XDP,
		License: "Dual MIT/GPL",
		Instructions: asm.Instructions{
			asm.LoadMem(asm.R2, asm.R1, xdpMdRxQueueIndex, asm.Word), // r2 = ctx->rx_queue_index
			asm.LoadMapPtr(asm.R1, xsks.FD()),                        // r1 = &xsks
			asm.Mov.Imm(asm.R3, xdpPass),                             // r3 = XDP_PASS (fallback)
			asm.FnRedirectMap.Call(),                                 // r0 = bpf_redirect_map(r1, r2, r3)
			asm.Return(),
		},
	})
	if err != nil {
		xsks.Close()
		return nil, fmt.Errorf("load XDP program: %v", err)
	}
	return &xdpProg{prog: prog, xsks: xsks}, nil
}

// bind puts the socket fd at queue 0.
func (x *xdpProg) bind(fd int) error {
	if err := x.xsks.Put(uint32(0), uint32(fd)); err != nil {
		return fmt.Errorf("XSKMAP update: %v", err)
	}
	return nil
}

// attach attaches the program to ifindex through a BPF link, in the mode
// m asks for; best-effort tries native first and then generic. It returns
// the link and the attach mode used ("native" or "generic").
func (x *xdpProg) attach(ifindex int, m Mode) (link.Link, string, error) {
	try := func(flags link.XDPAttachFlags) (link.Link, error) {
		return link.AttachXDP(link.XDPOptions{Program: x.prog, Interface: ifindex, Flags: flags})
	}
	switch m {
	case ModeGeneric:
		l, err := try(link.XDPGenericMode)
		if err != nil {
			return nil, "", fmt.Errorf("attach XDP program in generic mode: %v", err)
		}
		return l, "generic", nil
	case ModeNative, ModeNativeZeroCopy:
		l, err := try(link.XDPDriverMode)
		if err != nil {
			return nil, "", fmt.Errorf("attach XDP program in native mode: %v", err)
		}
		return l, "native", nil
	}
	l, nerr := try(link.XDPDriverMode)
	if nerr == nil {
		return l, "native", nil
	}
	l, gerr := try(link.XDPGenericMode)
	if gerr != nil {
		return nil, "", fmt.Errorf("attach XDP program: native mode: %v; generic mode: %v", nerr, gerr)
	}
	return l, "generic", nil
}

func (x *xdpProg) close() {
	x.prog.Close()
	x.xsks.Close()
}
