#!/bin/bash
# capture-goldens.sh: how the golden dpctl/dump-flows lines in
# odpformat_test.go were produced (OVS 3.1.0, Debian). It starts a private
# ovsdb-server + ovs-vswitchd (dummy datapath, dummy ports, so no kernel
# devices and no traffic outside) in a fresh network namespace with its own
# rundir, injects the test frames with netdev-dummy/receive and prints the
# datapath flows. Everything is stopped and removed on exit. Needs root.
#
#   GOVS_PRINT_FRAMES=1 go test -run TestPrintGoldenFrames -v ./datapath/flow | grep '^frame ' > /tmp/frames.txt
#   bash datapath/flow/testdata/capture-goldens.sh /tmp/frames.txt [flows-file]
set -euo pipefail
frames=$1
flows=${2:-}
D=$(mktemp -d /tmp/govs-ovs.XXXXXX)
NS=gvgold$$
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
ip netns exec $NS ovsdb-server $D/conf.db --remote=punix:$D/db.sock --pidfile=$D/ovsdb-server.pid \
	--detach --log-file=$D/ovsdb-server.log --unixctl=$D/ovsdb-server.ctl
VS="ovs-vsctl --db=unix:$D/db.sock --timeout=10"
AP="ovs-appctl -t $D/ovs-vswitchd.ctl"
$VS --no-wait init
$VS --no-wait set Open_vSwitch . other_config:vlan-limit=2
ip netns exec $NS ovs-vswitchd unix:$D/db.sock --enable-dummy --pidfile=$D/ovs-vswitchd.pid --detach \
	--log-file=$D/ovs-vswitchd.log --unixctl=$D/ovs-vswitchd.ctl
$VS add-br br0 -- set bridge br0 datapath_type=dummy \
	-- add-port br0 p1 -- set interface p1 type=dummy ofport_request=1 \
	-- add-port br0 p2 -- set interface p2 type=dummy ofport_request=2 \
	-- add-port br0 p3 -- set interface p3 type=dummy ofport_request=3
if [ -n "$flows" ]; then ovs-ofctl add-flows unix:$D/br0.mgmt "$flows"; fi
while read -r _ name hex; do
	$AP revalidator/purge >/dev/null
	$AP netdev-dummy/receive p1 "$hex" >/dev/null 2>&1 || { echo "== $name (rejected)"; continue; }
	echo "== $name"
	$AP dpctl/dump-flows | grep -v '^flow-dump' | sed 's/, packets:.*//'
done < "$frames"
