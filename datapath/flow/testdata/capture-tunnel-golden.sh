#!/bin/bash
# capture-tunnel-golden.sh: how the tunnel(...) golden in odpformat_test.go was
# captured: private OVS (dummy datapath) in its own netns and rundir, a Geneve
# port on br-int, the underlay address on br-phy, one encapsulated frame
# (the geneve-udp4 line of TestPrintGoldenFrames, see capture-goldens.sh,
# in the file given as $1) injected on the underlay port.
# Needs root; everything is removed on exit.
set -euo pipefail
D=$(mktemp -d /tmp/govs-ovs.XXXXXX)
NS=gvtun$$
export OVS_RUNDIR=$D OVS_DBDIR=$D OVS_LOGDIR=$D OVS_SYSCONFDIR=$D
cleanup() {
	for p in ovs-vswitchd ovsdb-server; do
		[ -f $D/$p.pid ] && kill "$(cat $D/$p.pid)" 2>/dev/null || true
	done
	sleep 0.5
	ip netns del $NS 2>/dev/null || true
	rm -rf "$D"
}
trap cleanup EXIT
ip netns add $NS
ovsdb-tool create $D/conf.db /usr/share/openvswitch/vswitch.ovsschema
ip netns exec $NS ovsdb-server $D/conf.db --remote=punix:$D/db.sock --pidfile=$D/ovsdb-server.pid --detach --log-file=$D/ovsdb-server.log --unixctl=$D/ovsdb-server.ctl 2>/dev/null
VS="ovs-vsctl --db=unix:$D/db.sock --timeout=10"
AP="ovs-appctl -t $D/ovs-vswitchd.ctl"
$VS --no-wait init
ip netns exec $NS ovs-vswitchd unix:$D/db.sock --enable-dummy --pidfile=$D/ovs-vswitchd.pid --detach --log-file=$D/ovs-vswitchd.log --unixctl=$D/ovs-vswitchd.ctl 2>/dev/null
$VS add-br br-phy -- set bridge br-phy datapath_type=dummy other_config:hwaddr=02:00:00:00:00:01 \
	-- add-port br-phy p0 -- set interface p0 type=dummy ofport_request=1
$VS add-br br-int -- set bridge br-int datapath_type=dummy \
	-- add-port br-int p1 -- set interface p1 type=dummy ofport_request=2 \
	-- add-port br-int gnv0 -- set interface gnv0 type=geneve options:remote_ip=172.31.1.2 options:key=5 ofport_request=3
$AP netdev-dummy/ip4addr br-phy 172.31.1.1/24
$AP ovs/route/add 172.31.1.0/24 br-phy
$AP tnl/arp/set br-phy 172.31.1.2 02:00:00:00:00:02
sleep 1
$AP dpif/show
$AP tnl/ports/show
hex=$(awk '$2 == "geneve-udp4" {print $3}' "$1")
$AP netdev-dummy/receive p0 "$hex"
sleep 0.5
$AP dpctl/dump-flows | sed 's/, packets:.*actions:/ actions:/'
