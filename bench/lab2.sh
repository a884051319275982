#!/usr/bin/env bash
# The seed lab's second half: two hosts joined by a Geneve (or VXLAN)
# tunnel, a logical switch across them, then a router made of OpenFlow
# flows. Step by step, with results; everything is removed on exit.
#
#   "hosts"     node1 and node2 are network namespaces joined by an underlay
#               veth, 10.1.1.41/24 (node1) <-> 10.1.1.42/24 (node2).
#   switches    each node runs its own switch daemon, started inside the
#               node namespace with a private run/db directory:
#                 govs   govs-vswitchd; the underlay IP stays on the node's
#                        veth and tunnel packets go through kernel UDP
#                        sockets bound to it.
#                 ovs    real OVS 3.1 (ovsdb-server + ovs-vswitchd,
#                        datapath_type=netdev, native tunnelling): the
#                        underlay veth is a port of bridge br-phy and the
#                        underlay IP is on br-phy's internal port. Tunnel
#                        ports stay on br-int, never on br-phy (ovs-facts
#                        section 6: tunnel ports on the bridge that owns
#                        the underlay IP recurse without bound in OVS 3.1).
#                 linux  no daemon: a Linux vxlan device and a Linux bridge
#                        (VXLAN only: this kernel has no geneve link type).
#   overlay     br-int on each node holds the tunnel port (remote_ip = the
#               other node, key = VNI 1) and the hosts' veths:
#                 ns1 behind node1: 192.168.1.10/24, gateway 192.168.1.1
#                 ns1 behind node2: 192.168.1.20/24, gateway 192.168.1.1
#                 ns2 behind node2: 192.168.2.30/24, gateway 192.168.2.1
#   router      a distributed logical router, as OVN builds one: on every
#               OpenFlow node, flows in br-int table 0 (priority 100, above
#               the NORMAL flow) answer ARP for the gateway addresses
#               (move/load, out the port the request came in on) and route
#               packets sent to the gateway MAC: mod_dl_src = gateway MAC,
#               mod_dl_dst = the destination host's MAC, dec_ttl, output to
#               its port (local veth or the tunnel). A packet is routed by
#               the node of its sender, so it crosses the tunnel once, with
#               real host MACs, and arrives with TTL 63. A "linux" node has
#               no router: its hosts' packets are routed by node1.
#
# Settings (environment):
#   LAB_TOOLS=govs|ovs     CLIs that drive govs-vswitchd: govs-vsctl and
#                          govs-ofctl (default) or the real ovs-vsctl and
#                          ovs-ofctl. A real OVS node always uses OVS's.
#   LAB2_NODE1, LAB2_NODE2 switch of each node: govs (default), ovs, linux
#   LAB2_TUNNEL            geneve (default) or vxlan
#   LAB2_CSUM=true         outer UDP checksums on (options:csum=true)
#   LAB2_PREFIX            namespace name prefix (default lab2); tests set a
#                          unique one. Namespaces: PREFIX-node1, PREFIX-node2,
#                          PREFIX-n1ns1, PREFIX-n2ns1, PREFIX-n2ns2.
#   BINDIR                 where govs-vswitchd, govs-vsctl, govs-ofctl are
#   LAB2_HOLD=SECONDS      pause after the first pings, to look around
#                          (ip netns exec PREFIX-node1 ..., the run dirs)
#
# Every interface lives inside a namespace the script created, so deleting
# the namespaces removes everything; the daemons are stopped by pid.
# The exit status is 0 when every step gave the expected result.
set -u

here=$(cd "$(dirname "$0")/.." && pwd)
bin=${BINDIR:-$here/bin}
tools=${LAB_TOOLS:-govs}
kind1=${LAB2_NODE1:-govs} kind2=${LAB2_NODE2:-govs}
tunnel=${LAB2_TUNNEL:-geneve}
csum=${LAB2_CSUM:-false}
prefix=${LAB2_PREFIX:-lab2}

node1=$prefix-node1 node2=$prefix-node2
h1=$prefix-n1ns1 h2=$prefix-n2ns1 h3=$prefix-n2ns2

# Addresses and MACs (locally administered, fixed so flows can name them).
u1=10.1.1.41 u2=10.1.1.42
ip_h1=192.168.1.10 ip_h2=192.168.1.20 ip_h3=192.168.2.30
mac_h1=02:00:c0:a8:01:0a mac_h2=02:00:c0:a8:01:14 mac_h3=02:00:c0:a8:02:1e
gw1=192.168.1.1 gw2=192.168.2.1
mac_gw1=02:00:c0:a8:01:01 mac_gw2=02:00:c0:a8:02:01
# Interface names (each inside its own node or host namespace).
ul=underlay0 tun=tun0 hostdev=eth0

case $tunnel in
	geneve) port=6081 key_shown="vni 0x1" ;;
	vxlan) port=4789 key_shown="vni 1" ;;
	*) echo "lab2: LAB2_TUNNEL must be geneve or vxlan"; exit 1 ;;
esac
for k in "$kind1" "$kind2"; do
	case $k in govs | ovs | linux) ;; *) echo "lab2: LAB2_NODE1/LAB2_NODE2 must be govs, ovs or linux"; exit 1 ;; esac
done
if [ "$kind1" = linux ]; then echo "lab2: node1 routes for a linux node2, so node1 must be govs or ovs"; exit 1; fi
if [ "$tunnel" = geneve ] && [ "$kind2" = linux ]; then
	echo "lab2: a linux node needs LAB2_TUNNEL=vxlan (this kernel has no geneve link type)"; exit 1
fi
case $tools in
	govs) GVSCTL="$bin/govs-vsctl" GOFCTL="$bin/govs-ofctl" ;;
	ovs) GVSCTL=$(command -v ovs-vsctl) GOFCTL=$(command -v ovs-ofctl) ;;
	*) echo "lab2: LAB_TOOLS must be govs or ovs"; exit 1 ;;
esac

if [ "$(id -u)" != 0 ]; then echo "lab2: must run as root (it creates namespaces and veths)"; exit 1; fi
need="ip ping tcpdump ethtool"
for k in "$kind1" "$kind2" "$tools"; do
	[ "$k" = ovs ] && { need="$need ovsdb-tool ovsdb-server ovs-vswitchd ovs-vsctl ovs-ofctl"; break; }
done
for t in $need; do command -v $t >/dev/null || { echo "lab2: $t is missing (make deps installs it)"; exit 1; }; done
if [ "$kind1" = govs ] || [ "$kind2" = govs ]; then
	for b in govs-vswitchd govs-vsctl govs-ofctl; do [ -x "$bin/$b" ] || { echo "lab2: $bin/$b is missing (make build)"; exit 1; }; done
fi
ovs_schema=${OVS_SCHEMA:-/usr/share/openvswitch/vswitch.ovsschema}

rundir=$(mktemp -d /tmp/govs-lab2.XXXXXX)
pass=0 fail=0 owned= pids=
bold() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
ok() { pass=$((pass + 1)); printf '   -> OK: %s\n' "$*"; }
bad() { fail=$((fail + 1)); printf '   -> FAILED: %s\n' "$*"; }

# run CMD...: print the command, run it (bounded), show its output indented.
run() {
	printf '$ %s\n' "$*"
	out=$(timeout 30 "$@" 2>&1); rc=$?
	[ -n "$out" ] && printf '%s\n' "$out" | sed 's/^/   /'
	return $rc
}

# stop PIDFILE: SIGTERM the daemon in it, SIGKILL after 5 s.
stop() {
	local pid
	pid=$(cat "$1" 2>/dev/null) || return 0
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
	kill -TERM "$pid"
	for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
	kill -KILL "$pid" 2>/dev/null
}

cleanup() {
	trap - EXIT INT TERM
	for p in $pids; do kill "$p" 2>/dev/null; done
	if [ -n "$owned" ]; then
		for f in "$rundir"/*/*.pid; do [ -e "$f" ] && stop "$f"; done
		for ns in "$h1" "$h2" "$h3" "$node1" "$node2"; do ip netns del "$ns" 2>/dev/null; done
	fi
	rm -rf "$rundir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for ns in "$node1" "$node2" "$h1" "$h2" "$h3"; do
	if [ -e "/run/netns/$ns" ]; then echo "lab2: namespace $ns already exists; remove it first (ip netns del $ns) or set LAB2_PREFIX"; exit 1; fi
done
owned=1

dir_of() { echo "$rundir/$1"; }
kind_of() { if [ "$1" = "$node1" ]; then echo "$kind1"; else echo "$kind2"; fi; }
name_of() { if [ "$1" = "$node1" ]; then echo node1; else echo node2; fi; }

# vsctl/ofctl NODE ARGS...: the CLI for NODE's daemon, run against its
# private run directory (printed as "[nodeN]").
vsctl() {
	local n=$1; shift
	local tool=$GVSCTL
	[ "$(kind_of "$n")" = ovs ] && tool=$(command -v ovs-vsctl)
	printf '[%s] ' "$(name_of "$n")"
	OVS_RUNDIR=$(dir_of "$n") OVS_DBDIR=$(dir_of "$n") run "$tool" --timeout=20 "$@"
}
ofctl() {
	local n=$1; shift
	local tool=$GOFCTL
	[ "$(kind_of "$n")" = ovs ] && tool=$(command -v ovs-ofctl)
	printf '[%s] ' "$(name_of "$n")"
	OVS_RUNDIR=$(dir_of "$n") run "$tool" "$@"
}
nsrun() { local ns=$1; shift; run ip netns exec "$ns" "$@"; }

# start_daemon NODE: the node's switch daemon, inside the node namespace.
start_daemon() {
	local n=$1 d
	d=$(dir_of "$n")
	mkdir -p "$d"
	case $(kind_of "$n") in
	govs)
		if run ip netns exec "$n" "$bin/govs-vswitchd" --rundir="$d" --dbdir="$d" --pidfile="$d/govs-vswitchd.pid" \
			--log-file="$d/govs-vswitchd.log" --metrics-addr= --detach; then
			ok "govs-vswitchd in $n (run dir $d)"
		else bad "govs-vswitchd did not start in $n: $(tail -5 "$d/govs-vswitchd.log" 2>/dev/null)"; return 1; fi ;;
	ovs)
		export OVS_RUNDIR=$d OVS_DBDIR=$d OVS_LOGDIR=$d OVS_SYSCONFDIR=$d
		run ovsdb-tool create "$d/conf.db" "$ovs_schema" &&
			run ip netns exec "$n" ovsdb-server "$d/conf.db" --remote=punix:"$d/db.sock" --pidfile="$d/ovsdb-server.pid" \
				--unixctl="$d/ovsdb-server.ctl" --log-file="$d/ovsdb-server.log" --detach --no-chdir &&
			run ovs-vsctl --db=unix:"$d/db.sock" --no-wait init &&
			run ip netns exec "$n" ovs-vswitchd unix:"$d/db.sock" --pidfile="$d/ovs-vswitchd.pid" \
				--unixctl="$d/ovs-vswitchd.ctl" --log-file="$d/ovs-vswitchd.log" --detach --no-chdir
		rc=$?
		unset OVS_RUNDIR OVS_DBDIR OVS_LOGDIR OVS_SYSCONFDIR
		if [ $rc = 0 ]; then ok "OVS (ovsdb-server + ovs-vswitchd) in $n (run dir $d)"
		else bad "OVS did not start in $n: $(tail -5 "$d/ovs-vswitchd.log" 2>/dev/null)"; return 1; fi ;;
	linux) ok "$n uses the Linux kernel's vxlan device and bridge (no daemon)" ;;
	esac
}

# underlay NODE IP: the node's underlay address, where its switch wants it.
underlay() {
	local n=$1 ip=$2
	case $(kind_of "$n") in
	ovs)
		vsctl "$n" add-br br-phy -- set bridge br-phy datapath_type=netdev -- add-port br-phy $ul &&
			nsrun "$n" ip addr add "$ip/24" dev br-phy && nsrun "$n" ip link set br-phy up &&
			ok "$n: $ul is a port of br-phy, $ip is on br-phy's internal port" ||
			bad "$n: underlay bridge br-phy" ;;
	*)
		nsrun "$n" ip addr add "$ip/24" dev $ul && ok "$n: $ip on $ul" || bad "$n: address on $ul" ;;
	esac
}

# overlay NODE REMOTE KEY: br-int with the tunnel port.
overlay() {
	local n=$1 remote=$2 key=$3 local_ip=$4
	case $(kind_of "$n") in
	linux)
		nsrun "$n" ip link add $tun type vxlan id "$key" remote "$remote" local "$local_ip" dstport $port &&
			nsrun "$n" ip link add br-int type bridge && nsrun "$n" ip link set $tun master br-int &&
			nsrun "$n" ip link set $tun up && nsrun "$n" ip link set br-int up &&
			ok "$n: Linux bridge br-int with vxlan $tun (id $key, remote $remote)" || bad "$n: Linux vxlan and bridge" ;;
	*)
		local opts="options:remote_ip=$remote options:key=$key"
		[ "$csum" = true ] && opts="$opts options:csum=true"
		vsctl "$n" add-br br-int -- set bridge br-int datapath_type=netdev \
			-- add-port br-int $tun -- set interface $tun type=$tunnel $opts &&
			ok "$n: br-int with $tunnel port $tun (remote_ip=$remote key=$key)" || bad "$n: br-int and $tun"
		vsctl "$n" get interface $tun error
		# Nothing after this works without the tunnel: stop here.
		if [ -n "$out" ] && [ "$out" != "[]" ]; then bad "$n: $tun has an error: $out"; exit 1; fi ;;
	esac
}

# host NS NODE DEV IP MAC GW: a host namespace behind NODE's br-int.
host() {
	local ns=$1 n=$2 dev=$3 ip=$4 mac=$5 gw=$6
	run ip netns add "$ns" && nsrun "$ns" ip link set lo up &&
		nsrun "$ns" sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 &&
		nsrun "$n" ip link add "$dev" type veth peer name $hostdev netns "$ns" &&
		nsrun "$ns" ip link set $hostdev address "$mac" mtu 1400 up &&
		nsrun "$ns" ip addr add "$ip/24" dev $hostdev &&
		nsrun "$ns" ip route add default via "$gw" &&
		nsrun "$n" ip link set "$dev" up || { bad "$ns: namespace and veth"; return 1; }
	if [ "$(kind_of "$n")" = linux ]; then
		nsrun "$n" ip link set "$dev" master br-int && ok "$ns ($ip) on $n's br-int" || bad "$ns: bridge port"
	else
		vsctl "$n" add-port br-int "$dev" && ok "$ns ($ip) on $n's br-int" || bad "$ns: add-port $dev"
	fi
}

# ping_step EXPECT WHAT NS DST [TTL]: expect "works" or "fails"; with TTL,
# the replies must carry that TTL.
ping_step() {
	local expect=$1 what=$2 ns=$3 dst=$4 ttl=${5:-} got
	if nsrun "$ns" ping -c 3 -W 1 -i 0.3 "$dst"; then got=works; else got=fails; fi
	# The first echo may be lost while the switches resolve the underlay
	# neighbour: one retry before concluding "fails".
	if [ $got = fails ] && [ "$expect" = works ] && nsrun "$ns" ping -c 3 -W 1 -i 0.3 "$dst"; then got=works; fi
	if [ "$got" != "$expect" ]; then bad "$what: ping $got, expected it to $expect"; return; fi
	if [ -n "$ttl" ] && ! printf '%s' "$out" | grep -q "ttl=$ttl "; then
		bad "$what: ping works but the replies' TTL is not $ttl"; return
	fi
	ok "$what: ping $got${ttl:+ with ttl=$ttl}, as expected"
}

# set_key NODE KEY: change the tunnel key of NODE's tunnel port.
set_key() {
	vsctl "$1" set interface $tun options:key="$2"
}

bold "hosts: node1 and node2, joined by the underlay veth $u1 <-> $u2"
for n in "$node1" "$node2"; do
	run ip netns add "$n" && nsrun "$n" ip link set lo up && nsrun "$n" sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 ||
		{ bad "namespace $n"; exit 1; }
done
nsrun "$node1" ip link add $ul type veth peer name $ul netns "$node2" &&
	nsrun "$node1" ip link set $ul up && nsrun "$node2" ip link set $ul up && ok "underlay veth $ul in both nodes" ||
	{ bad "underlay veth"; exit 1; }
# A veth hands the kernel's UDP packets over with the checksum still to be
# filled in (checksum offload), and a userspace switch reading them from an
# AF_PACKET socket sees a wrong checksum: OVS drops such tunnel packets.
# Real NICs fill it in; here the kernel must, before the veth.
for n in "$node1" "$node2"; do
	nsrun "$n" ethtool -K $ul tx off >/dev/null || { bad "$n: ethtool -K $ul tx off"; exit 1; }
done

bold "switches: node1 $kind1, node2 $kind2 (tools: $tools)"
start_daemon "$node1" || exit 1
start_daemon "$node2" || exit 1
underlay "$node1" $u1
underlay "$node2" $u2
nsrun "$node1" ping -c 1 -W 2 $u2 >/dev/null && ok "underlay: node1 reaches $u2" || bad "underlay: node1 does not reach $u2"

bold "overlay: br-int and a $tunnel tunnel (key 1) on each node"
overlay "$node1" $u2 1 $u1
overlay "$node2" $u1 1 $u2

bold "hosts' namespaces on br-int"
host "$h1" "$node1" vh1 $ip_h1 $mac_h1 $gw1
host "$h2" "$node2" vh2 $ip_h2 $mac_h2 $gw1
for n in "$node1" "$node2"; do [ "$(kind_of "$n")" = linux ] || vsctl "$n" show; done

bold "logical switch across the tunnel, with a capture on node1's underlay"
cap="$rundir/underlay.txt"
ip netns exec "$node1" timeout 60 tcpdump -l -nn -vv -i $ul udp port $port >"$cap" 2>&1 &
cap_pid=$!
pids="$pids $cap_pid"
for _ in $(seq 50); do grep -q 'listening on' "$cap" && break; sleep 0.1; done
ping_step works "192.168.1.10 -> 192.168.1.20" "$h1" $ip_h2
ping_step works "192.168.1.20 -> 192.168.1.10" "$h2" $ip_h1
sleep 0.5
kill "$cap_pid" 2>/dev/null; wait "$cap_pid" 2>/dev/null
printf '$ tcpdump -nn -vv -i %s udp port %s   (in %s; first packets)\n' $ul $port "$node1"
grep -v '^tcpdump\|^listening\|packets \(captured\|received\|dropped\)' "$cap" | head -8 | sed 's/^/   /'
proto=Geneve; [ $tunnel = vxlan ] && proto=VXLAN
# Both directions, each decoded by tcpdump as the tunnel protocol with the
# VNI, and no decoding error anywhere in the capture.
out12=$(grep -c "$u1\.[0-9]* > $u2\.$port: .*$proto.*$key_shown" "$cap")
out21=$(grep -c "$u2\.[0-9]* > $u1\.$port: .*$proto.*$key_shown" "$cap")
errs=$(grep -i 'bad udp cksum\|bad cksum\|malformed\|truncated\|\[|' "$cap" | head -2)
if [ "$out12" -gt 0 ] && [ "$out21" -gt 0 ] && [ -z "$errs" ]; then
	ok "underlay shows $proto with $key_shown on UDP $port both ways ($out12 node1->node2, $out21 node2->node1), decoded without errors"
else
	bad "underlay capture: $out12 node1->node2 and $out21 node2->node1 $proto packets with $key_shown${errs:+; errors: $errs}"
fi
if [ "$csum" = true ]; then
	if grep -q "$u1\.[0-9]* > $u2\.$port: \[udp sum ok\]" "$cap"; then ok "outer UDP checksums verified by tcpdump"
	else bad "no outer UDP packet with [udp sum ok]"; fi
fi

[ -n "${LAB2_HOLD:-}" ] && { echo "lab2: holding for $LAB2_HOLD s (LAB2_HOLD)"; sleep "$LAB2_HOLD"; }

bold "key isolation: node1 key 2, node2 key 1"
set_key "$node1" 2
ping_step fails "different keys" "$h1" $ip_h2
set_key "$node1" 1
ping_step works "same key again" "$h1" $ip_h2

bold "router: ns2 ($ip_h3) behind node2, gateways $gw1 and $gw2"
host "$h3" "$node2" vh3 $ip_h3 $mac_h3 $gw2
# router_flows NODE: the logical router's flows in NODE's br-int. Hosts
# behind this node are reached through their veth, the others through
# the tunnel.
router_flows() {
	local n=$1 f="$rundir/router-$(name_of "$1").flows"
	local a=ARP
	: >"$f"
	for gw in "$gw1 $mac_gw1" "$gw2 $mac_gw2"; do
		set -- $gw
		printf 'table=0,priority=100,arp,arp_tpa=%s,arp_op=1,actions=move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],mod_dl_src:%s,load:0x2->NXM_OF_ARP_OP[],move:NXM_NX_ARP_SHA[]->NXM_NX_ARP_THA[],move:NXM_OF_ARP_SPA[]->NXM_OF_ARP_TPA[],load:0x%s->NXM_NX_ARP_SHA[],load:0x%s->NXM_OF_ARP_SPA[],in_port\n' \
			"$1" "$2" "$(echo "$2" | tr -d :)" "$(printf '%02x' $(echo "$1" | tr . ' '))" >>"$f"
	done
	for h in "$ip_h1 $mac_h1 $mac_gw1 $node1 vh1" "$ip_h2 $mac_h2 $mac_gw1 $node2 vh2" "$ip_h3 $mac_h3 $mac_gw2 $node2 vh3"; do
		set -- $h
		local out_port=$tun
		[ "$4" = "$n" ] && out_port=$5
		for gwmac in $mac_gw1 $mac_gw2; do
			# Only packets that change subnet are routed.
			[ "$gwmac" = "$3" ] && continue
			printf 'table=0,priority=100,ip,dl_dst=%s,nw_dst=%s,actions=mod_dl_src:%s,mod_dl_dst:%s,dec_ttl,output:%s\n' \
				"$gwmac" "$1" "$3" "$2" "$out_port" >>"$f"
		done
	done
	printf '$ cat %s\n' "$f"; sed 's/^/   /' "$f"
	ofctl "$n" add-flows br-int "$f" && ok "$(name_of "$n"): router flows added" || bad "$(name_of "$n"): add-flows"
}
for n in "$node1" "$node2"; do [ "$(kind_of "$n")" = linux ] || router_flows "$n"; done
ping_step works "routed 192.168.1.10 -> 192.168.2.30" "$h1" $ip_h3 63
ping_step works "routed 192.168.2.30 -> 192.168.1.10" "$h3" $ip_h1 63
for n in "$node1" "$node2"; do
	[ "$(kind_of "$n")" = linux ] && continue
	ofctl "$n" dump-flows br-int
	if printf '%s' "$out" | grep 'dec_ttl' | grep -q 'n_packets=[1-9]'; then ok "$(name_of "$n"): routing flows counted packets"
	else bad "$(name_of "$n"): no routing flow counted a packet"; fi
done

bold "clean up"
for n in "$node1" "$node2"; do
	[ "$(kind_of "$n")" = linux ] && continue
	vsctl "$n" del-br br-int && ok "$(name_of "$n"): br-int deleted" || bad "$(name_of "$n"): del-br br-int"
done
printf '\nlab2: %d OK, %d FAILED (node1 %s, node2 %s, %s, govs driven by %s tools)\n' $pass $fail "$kind1" "$kind2" "$tunnel" "$tools"
[ $fail = 0 ]
