#!/usr/bin/env bash
# The seed lab on govs, step by step, with results.
#
# It is the story of ../shared/reference/ovs-seed-lab.sh (two namespaces on
# one bridge, VLAN tags, a drop flow), run against govs-vswitchd in a private
# run directory so it never touches a real OVS on the same host.
#
#   LAB_TOOLS=govs (default)  drive govs with govs-vsctl / govs-ofctl
#   LAB_TOOLS=ovs             drive govs with the real ovs-vsctl / ovs-ofctl
#
# Names default to the seed lab's; tests override them to stay unique:
#   LAB_NS1, LAB_NS2        namespaces (ns1, ns2)
#   LAB_VETH1, LAB_VETH2    bridge-side veth ends (veth11, veth22)
#   LAB_PEER1, LAB_PEER2    namespace-side veth ends (veth1, veth2)
#   LAB_BR1, LAB_BR2        bridges (br-int, br-memeda; LAB_BR2 gets the ports)
#   LAB_METRICS_ADDR        govs-vswitchd --metrics-addr (127.0.0.1:0: a free
#                           port, so two labs, or a lab and a test, never
#                           collide on the default 127.0.0.1:9476; "" disables)
#
# Steps whose tool is not built yet are reported as SKIP with the reason.
# The exit status is 0 when every step that ran gave the expected result.
set -u

here=$(cd "$(dirname "$0")/.." && pwd)
bin=${BINDIR:-$here/bin}
tools=${LAB_TOOLS:-govs}
ns1=${LAB_NS1:-ns1} ns2=${LAB_NS2:-ns2}
veth1=${LAB_VETH1:-veth11} veth2=${LAB_VETH2:-veth22}
peer1=${LAB_PEER1:-veth1} peer2=${LAB_PEER2:-veth2}
br1=${LAB_BR1:-br-int} br2=${LAB_BR2:-br-memeda}

if [ "$(id -u)" != 0 ]; then echo "lab: must run as root (it creates namespaces and veths)"; exit 1; fi
for t in ip ping; do command -v $t >/dev/null || { echo "lab: $t is missing (apt-get install iproute2 iputils-ping)"; exit 1; }; done

rundir=$(mktemp -d /tmp/govs-lab.XXXXXX)
export OVS_RUNDIR=$rundir OVS_DBDIR=$rundir
case $tools in
	govs) VSCTL="$bin/govs-vsctl"; OFCTL="$bin/govs-ofctl" ;;
	ovs) VSCTL=$(command -v ovs-vsctl); OFCTL=$(command -v ovs-ofctl) ;;
	*) echo "lab: LAB_TOOLS must be govs or ovs"; exit 1 ;;
esac

pass=0 fail=0 skip=0 owned=
daemon_pid=
bold() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
ok() { pass=$((pass + 1)); printf '   -> OK: %s\n' "$*"; }
bad() { fail=$((fail + 1)); printf '   -> FAILED: %s\n' "$*"; }
skipped() { skip=$((skip + 1)); printf '   -> SKIP: %s\n' "$*"; }

# run CMD...: print the command, run it, show its output indented.
run() {
	printf '$ %s\n' "$*"
	out=$("$@" 2>&1); rc=$?
	[ -n "$out" ] && printf '%s\n' "$out" | sed 's/^/   /'
	return $rc
}

cleanup() {
	[ -n "$owned" ] || { rm -rf "$rundir"; return; }
	ip netns del "$ns1" 2>/dev/null; ip netns del "$ns2" 2>/dev/null
	ip link del "$veth1" 2>/dev/null; ip link del "$veth2" 2>/dev/null
	if [ -n "$daemon_pid" ] && kill -0 "$daemon_pid" 2>/dev/null; then
		kill -TERM "$daemon_pid"
		for _ in $(seq 50); do kill -0 "$daemon_pid" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$daemon_pid" 2>/dev/null
	fi
	rm -rf "$rundir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for ns in "$ns1" "$ns2"; do
	if ip netns list | grep -qw "$ns"; then echo "lab: namespace $ns already exists; remove it first (ip netns del $ns)"; exit 1; fi
done
for l in "$veth1" "$veth2" "$peer1" "$peer2" "$br1" "$br2"; do
	if ip link show "$l" >/dev/null 2>&1; then echo "lab: link $l already exists; remove it first (ip link del $l)"; exit 1; fi
done
owned=1

have() { [ -x "$1" ]; }

bold "start govs-vswitchd (run dir $rundir)"
if ! have "$bin/govs-vswitchd"; then
	skipped "govs-vswitchd is not built yet (issue 4): the lab needs the daemon"
	printf '\nlab: %d OK, %d FAILED, %d SKIPPED\n' $pass $fail $skip
	exit 1
fi
"$bin/govs-vswitchd" --rundir "$rundir" --dbdir "$rundir" --log-file="$rundir/govs-vswitchd.log" \
	--metrics-addr="${LAB_METRICS_ADDR-127.0.0.1:0}" &
daemon_pid=$!
for _ in $(seq 100); do [ -S "$rundir/db.sock" ] && break; sleep 0.1; done
if [ -S "$rundir/db.sock" ]; then ok "daemon pid $daemon_pid serving $rundir/db.sock"; else bad "no db.sock after 10s; log:"; cat "$rundir/govs-vswitchd.log"; exit 1; fi

have "$VSCTL" || { bad "$VSCTL not found"; exit 1; }

bold "bridges"
run "$VSCTL" add-br ${br1} -- set bridge ${br1} datapath_type=netdev && ok "${br1} added" || bad "add-br ${br1}"
run "$VSCTL" add-br ${br2} -- set bridge ${br2} datapath_type=netdev && ok "${br2} added" || bad "add-br ${br2}"
if run "$VSCTL" list-br && [ "$out" = "$(printf '%s\n' "$br1" "$br2" | LC_ALL=C sort)" ]; then ok "list-br shows both"; else bad "list-br"; fi

bold "namespaces and veth pairs"
run ip netns add ${ns1} && run ip netns add ${ns2}
run ip link add ${veth1} type veth peer name ${peer1} && run ip link set ${peer1} netns ${ns1} && run ip netns exec ${ns1} ip link set ${peer1} up
run ip link add ${veth2} type veth peer name ${peer2} && run ip link set ${peer2} netns ${ns2} && run ip netns exec ${ns2} ip link set ${peer2} up
run ip link set ${veth1} up && run ip link set ${veth2} up
run ip netns exec ${ns1} ip addr add 1.1.1.1/24 dev ${peer1}
run ip netns exec ${ns2} ip addr add 1.1.1.2/24 dev ${peer2}
run "$VSCTL" add-port ${br2} ${veth1} && ok "${veth1} on ${br2}" || bad "add-port ${veth1}"
run "$VSCTL" add-port ${br2} ${veth2} && ok "${veth2} on ${br2}" || bad "add-port ${veth2}"
run "$VSCTL" show

# ping EXPECT STEP: expect "works" or "fails".
ping_step() {
	local expect=$1 what=$2 got
	if run ip netns exec ${ns1} ping -c 2 -W 1 -i 0.2 1.1.1.2; then got=works; else got=fails; fi
	if [ "$got" = "$expect" ]; then ok "$what: ping $got, as expected"; else bad "$what: ping $got, expected it to $expect"; fi
}

bold "ping without tags"
ping_step works "untagged"

bold "tags 10 and 20: different VLANs"
run "$VSCTL" set port ${veth1} tag=10 && run "$VSCTL" set port ${veth2} tag=20
ping_step fails "tags 10/20"

bold "tags 10 and 10: same VLAN"
run "$VSCTL" set port ${veth2} tag=10
ping_step works "tags 10/10"

bold "OpenFlow flows"
if ! have "$OFCTL" || ! [ -S "$rundir/${br2}.mgmt" ]; then
	skipped "the OpenFlow server and govs-ofctl are not built yet (issue 3): dump-flows, add-flow drop, del-flows"
else
	run "$OFCTL" dump-flows ${br2}
	if printf '%s' "$out" | grep -q 'priority=0 actions=NORMAL'; then ok "default NORMAL flow present"; else bad "no default NORMAL flow"; fi
	run "$OFCTL" add-flow ${br2} "priority=2,in_port=${veth1},actions=drop" && ok "drop flow added" || bad "add-flow"
	run "$OFCTL" dump-flows ${br2}
	ping_step fails "drop flow"
	run "$OFCTL" del-flows ${br2} "in_port=${veth1}" && ok "del-flows in_port=${veth1}" || bad "del-flows"
	ping_step works "after del-flows"
	run "$OFCTL" dump-flows ${br2}
	if printf '%s' "$out" | grep -q 'n_packets=[1-9]'; then ok "NORMAL flow counted packets"; else bad "NORMAL flow counters did not increase"; fi
fi

bold "clean up"
run "$VSCTL" del-br ${br2} && run "$VSCTL" del-br ${br1} && ok "bridges deleted" || bad "del-br"
printf '\nlab: %d OK, %d FAILED, %d SKIPPED\n' $pass $fail $skip
[ $fail = 0 ]
