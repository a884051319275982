package afpacket

import (
	"encoding/binary"
	"math/bits"
)

// Kernel ABI values for control messages, spelled out here (rather than
// taken from x/sys/unix) so this file builds, and its fuzz target runs, on
// every OS. auxdata_linux_test.go checks them against x/sys/unix.
const (
	solPacket             = 263  // SOL_PACKET
	packetAuxdata         = 8    // PACKET_AUXDATA
	tpStatusVLANValid     = 0x10 // TP_STATUS_VLAN_VALID
	tpStatusVLANTPIDValid = 0x40 // TP_STATUS_VLAN_TPID_VALID
	sizeofTpacketAuxdata  = 20   // struct tpacket_auxdata
	auxStatusOff          = 0    // tp_status (u32)
	auxVLANTCIOff         = 16   // tp_vlan_tci (u16)
	auxVLANTPIDOff        = 18   // tp_vlan_tpid (u16)
	ethTypeVLAN           = 0x8100
	vlanTagLen            = 4
	ethAddrsLen           = 12 // destination + source MAC
	ethHeaderLen          = 14
	wordSize              = bits.UintSize / 8
	cmsgLenSize           = wordSize // cmsg_len is a size_t
	cmsgHdrLen            = (cmsgLenSize + 4 + 4 + wordSize - 1) &^ (wordSize - 1)
	cmsgLevelOff          = cmsgLenSize
	cmsgTypeOff           = cmsgLenSize + 4
	auxdataCmsgSpace      = cmsgHdrLen + (sizeofTpacketAuxdata+wordSize-1)&^(wordSize-1)
	ctrlBufLen            = auxdataCmsgSpace
)

// cmsgAlign rounds n up to the control-message alignment (CMSG_ALIGN).
func cmsgAlign(n int) int { return (n + wordSize - 1) &^ (wordSize - 1) }

// vlanTag is a tag the kernel stripped from a received frame.
type vlanTag struct {
	tpid, tci uint16
}

// parseAuxdata walks the control messages in ctrl (the bytes the kernel
// filled, i.e. msg_control[:msg_controllen]) and returns the VLAN tag
// recorded in a PACKET_AUXDATA message, if any. It never reads outside
// ctrl and does not allocate.
func parseAuxdata(ctrl []byte) (vlanTag, bool) {
	for len(ctrl) >= cmsgHdrLen {
		var l uint64
		if cmsgLenSize == 8 {
			l = binary.NativeEndian.Uint64(ctrl)
		} else {
			l = uint64(binary.NativeEndian.Uint32(ctrl))
		}
		if l < cmsgHdrLen || l > uint64(len(ctrl)) {
			return vlanTag{}, false
		}
		level := int32(binary.NativeEndian.Uint32(ctrl[cmsgLevelOff:]))
		typ := int32(binary.NativeEndian.Uint32(ctrl[cmsgTypeOff:]))
		data := ctrl[cmsgHdrLen:l]
		if level == solPacket && typ == packetAuxdata && len(data) >= sizeofTpacketAuxdata {
			return auxdataVLAN(data)
		}
		next := cmsgAlign(int(l))
		if next > len(ctrl) {
			return vlanTag{}, false
		}
		ctrl = ctrl[next:]
	}
	return vlanTag{}, false
}

// auxdataVLAN decodes the VLAN fields of a tpacket_auxdata, with OVS's
// rules: a tag is present if the TCI is non-zero or TP_STATUS_VLAN_VALID is
// set; its TPID is tp_vlan_tpid if TP_STATUS_VLAN_TPID_VALID, else 0x8100.
func auxdataVLAN(aux []byte) (vlanTag, bool) {
	return statusVLAN(binary.NativeEndian.Uint32(aux[auxStatusOff:]),
		binary.NativeEndian.Uint16(aux[auxVLANTCIOff:]),
		binary.NativeEndian.Uint16(aux[auxVLANTPIDOff:]))
}

// statusVLAN applies those rules to a tp_status and the tp_vlan_tci and
// tp_vlan_tpid fields (of a tpacket_auxdata or a tpacket2_hdr).
func statusVLAN(status uint32, tci, tpid uint16) (vlanTag, bool) {
	if tci == 0 && status&tpStatusVLANValid == 0 {
		return vlanTag{}, false
	}
	if status&tpStatusVLANTPIDValid == 0 {
		tpid = ethTypeVLAN
	}
	return vlanTag{tpid: tpid, tci: tci}, true
}

// insertVLAN puts tag back after the MAC addresses of the frame
// buf[off:off+n] and returns the frame's new offset and length. It moves
// the payload right when buf has room after the frame, else the MAC
// addresses left into the headroom. ok is false (and nothing is changed)
// when the frame is shorter than the two MAC addresses, out of buf's
// bounds, or there is no room either way.
func insertVLAN(buf []byte, off, n int, tag vlanTag) (newOff, newLen int, ok bool) {
	if n < ethAddrsLen || off < 0 || off > len(buf) || n > len(buf)-off {
		return off, n, false
	}
	switch {
	case n <= len(buf)-off-vlanTagLen:
		copy(buf[off+ethAddrsLen+vlanTagLen:off+n+vlanTagLen], buf[off+ethAddrsLen:off+n])
	case off >= vlanTagLen:
		copy(buf[off-vlanTagLen:], buf[off:off+ethAddrsLen])
		off -= vlanTagLen
	default:
		return off, n, false
	}
	binary.BigEndian.PutUint16(buf[off+ethAddrsLen:], tag.tpid)
	binary.BigEndian.PutUint16(buf[off+ethAddrsLen+2:], tag.tci)
	return off, n + vlanTagLen, true
}
