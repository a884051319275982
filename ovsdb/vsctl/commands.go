package vsctl

import "math"

// unlimitedArgs is INT_MAX in the C command table.
const unlimitedArgs = math.MaxInt32

// commandTable lists the supported commands with ovs-vsctl's argument
// counts and options (vsctl_commands plus db_ctl_commands).
var commandTable = map[string]*cmdSyntax{}

func init() {
	for _, c := range []*cmdSyntax{
		{name: "init", rw: true, run: cmdInit},
		{name: "show", run: cmdShow},
		{name: "add-br", min: 1, max: 3, options: "--may-exist", rw: true, run: cmdAddBr},
		{name: "del-br", min: 1, max: 1, options: "--if-exists", rw: true, run: cmdDelBr},
		{name: "list-br", options: "--real,--fake", run: cmdListBr},
		{name: "br-exists", min: 1, max: 1, run: cmdBrExists},
		{name: "br-to-vlan", min: 1, max: 1, run: cmdBrToVlan},
		{name: "br-to-parent", min: 1, max: 1, run: cmdBrToParent},
		{name: "list-ports", min: 1, max: 1, run: cmdListPorts},
		{name: "add-port", min: 2, max: unlimitedArgs, options: "--may-exist", rw: true, run: cmdAddPort},
		{name: "del-port", min: 1, max: 2, options: "--if-exists,--with-iface", rw: true, run: cmdDelPort},
		{name: "port-to-br", min: 1, max: 1, run: cmdPortToBr},
		{name: "list-ifaces", min: 1, max: 1, run: cmdListIfaces},
		{name: "iface-to-br", min: 1, max: 1, run: cmdIfaceToBr},
		{name: "get-controller", min: 1, max: 1, run: cmdGetController},
		{name: "del-controller", min: 1, max: 1, rw: true, run: cmdDelController},
		{name: "set-controller", min: 1, max: unlimitedArgs, options: "--inactivity-probe=", rw: true, run: cmdSetController},
		{name: "get-fail-mode", min: 1, max: 1, run: cmdGetFailMode},
		{name: "del-fail-mode", min: 1, max: 1, rw: true, run: cmdDelFailMode},
		{name: "set-fail-mode", min: 2, max: 2, rw: true, run: cmdSetFailMode},
		{name: "comment", max: unlimitedArgs, run: cmdComment},
		{name: "get", min: 2, max: unlimitedArgs, options: "--if-exists,--id=", run: cmdGet},
		{name: "list", min: 1, max: unlimitedArgs, options: "--if-exists,--columns=", run: cmdList},
		{name: "find", min: 1, max: unlimitedArgs, options: "--columns=", run: cmdFind},
		{name: "set", min: 3, max: unlimitedArgs, options: "--if-exists", rw: true, run: cmdSet},
		{name: "add", min: 4, max: unlimitedArgs, options: "--if-exists", rw: true, run: cmdAdd},
		{name: "remove", min: 4, max: unlimitedArgs, options: "--if-exists", rw: true, run: cmdRemove},
		{name: "clear", min: 3, max: unlimitedArgs, options: "--if-exists", rw: true, run: cmdClear},
		{name: "create", min: 2, max: unlimitedArgs, options: "--id=", rw: true, run: cmdCreate, post: postCreate},
		{name: "destroy", min: 1, max: unlimitedArgs, options: "--if-exists,--all", rw: true, run: cmdDestroy},
		{name: "wait-until", min: 2, max: unlimitedArgs, run: cmdWaitUntil},
		{name: "br-set-external-id", min: 2, max: 3, rw: true, run: cmdBrSetExternalID},
		{name: "br-get-external-id", min: 1, max: 2, run: cmdBrGetExternalID},
		{name: "add-bond", min: 4, max: unlimitedArgs, options: "--may-exist,--fake-iface", rw: true, run: cmdAddBond},
		{name: "get-manager", run: cmdGetManager},
		{name: "del-manager", rw: true, run: cmdDelManager},
		{name: "set-manager", min: 1, max: unlimitedArgs, options: "--inactivity-probe=", rw: true, run: cmdSetManager},
		{name: "add-bond-iface", min: 2, max: 2, options: "--may-exist", rw: true, run: unsupported("add-bond-iface")},
		{name: "del-bond-iface", min: 1, max: 2, options: "--if-exists", rw: true, run: unsupported("del-bond-iface")},
		{name: "get-ssl", run: unsupported("get-ssl")},
		{name: "del-ssl", rw: true, run: unsupported("del-ssl")},
		{name: "set-ssl", min: 3, max: 3, options: "--bootstrap", rw: true, run: unsupported("set-ssl")},
		{name: "add-aa-mapping", min: 3, max: 3, rw: true, run: unsupported("add-aa-mapping")},
		{name: "del-aa-mapping", min: 3, max: 3, rw: true, run: unsupported("del-aa-mapping")},
		{name: "get-aa-mapping", min: 1, max: 1, run: unsupported("get-aa-mapping")},
		{name: "emer-reset", rw: true, run: unsupported("emer-reset")},
		{name: "add-zone-tp", min: 3, max: unlimitedArgs, options: "--may-exist", rw: true, run: unsupported("add-zone-tp")},
		{name: "del-zone-tp", min: 2, max: 2, options: "--if-exists", rw: true, run: unsupported("del-zone-tp")},
		{name: "list-zone-tp", min: 1, max: 1, run: unsupported("list-zone-tp")},
		{name: "list-dp-cap", min: 1, max: 1, run: unsupported("list-dp-cap")},
	} {
		commandTable[c.name] = c
	}
}
