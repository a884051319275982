package tap

// Options tune Open.
type Options struct {
	// Up brings the device administratively up after opening it, as
	// for the bridge's internal port.
	Up bool
}

type features struct {
	created bool
	up      bool
}

func (f features) String() string {
	return "rx=read-loop tx=write-per-frame vnet_hdr=off created=" + yesNo(f.created) + " up=" + yesNo(f.up)
}

func yesNo(v bool) string {
	if v {
		return "yes"
	}
	return "no"
}
