// Package ovsoracle starts a private, real Open vSwitch (ovsdb-server and
// ovs-vswitchd from the host's OVS 3.1 packages) for differential tests:
// the test runs the same configuration, flows or commands against the
// real daemons and against govs, and compares what the OVS tools print.
//
// Contract:
//   - Start skips the test (t.Skip) when an OVS program or the vswitch
//     schema is missing, when Options.NeedRoot is set and the test does
//     not run as root, or in -short mode when Options.SkipShort is set.
//   - Every daemon runs with its own rundir, dbdir, logdir and sysconfdir
//     in a fresh temp directory (short, since unix socket paths are
//     limited to 108 bytes) and, unless Options.SystemNetdevs, with
//     --enable-dummy=override, so no kernel device is created and no
//     frame leaves the process. The system-wide OVS in
//     /var/run/openvswitch is never touched.
//   - The daemons are stopped and the directory removed in t.Cleanup,
//     also when the test fails (then the tail of ovs-vswitchd.log is
//     logged). Every command is bounded by CmdTimeout.
//   - An OVS value is owned by one test goroutine; it has no locks.
//
// The package is test support: only _test.go files import it. It lives in
// the module's top-level internal/ so that every package of govs (ofproto,
// cmd, ovsdb) can use it.
package ovsoracle
