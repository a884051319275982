package vsctl

import (
	"context"
	"sync"

	"govs/ovsdb/client"
	"govs/ovsdb/schema"
)

// Names of the Open_vSwitch database, tables and columns used directly.
const (
	dbOpenVSwitch    = "Open_vSwitch"
	tableOpenVSwitch = "Open_vSwitch"
	tableBridge      = "Bridge"
	tablePort        = "Port"
	tableInterface   = "Interface"
	tableController  = "Controller"
	tableFSCS        = "Flow_Sample_Collector_Set"
	colNextCfg       = "next_cfg"
	colCurCfg        = "cur_cfg"
	colBridges       = "bridges"
	colName          = "name"
	colPorts         = "ports"
	colInterfaces    = "interfaces"
	colTag           = "tag"
	colFakeBridge    = "fake_bridge"
	colType          = "type"
	colController    = "controller"
	colTarget        = "target"
	colFailMode      = "fail_mode"
	colOfport        = "ofport"
	colError         = "error"
	colBridge        = "bridge"
	colInactivity    = "inactivity_probe"
	monitorID        = "govs-vsctl"
)

// replica is the client's copy of the database, kept current by a
// monitor_cond on every table and column. Updates arrive on the client's
// reader goroutine and are applied under mu; commands work on snapshots.
type replica struct {
	s  *schema.Schema
	mu struct {
		sync.Mutex
		rows map[string]map[schema.UUID]map[string]schema.Datum // guarded by mu
	}
	// changed receives a token after every applied update (never blocks).
	changed chan struct{}
}

// startReplica fetches the schema and starts the monitor.
func startReplica(ctx context.Context, c *client.Client) (*replica, error) {
	s, err := c.GetSchema(ctx, dbOpenVSwitch)
	if err != nil {
		return nil, err
	}
	r := &replica{s: s, changed: make(chan struct{}, 1)}
	r.mu.rows = map[string]map[schema.UUID]map[string]schema.Datum{}
	reqs := make(map[string]client.MonitorRequest, len(s.Tables))
	for name := range s.Tables {
		reqs[name] = client.MonitorRequest{}
	}
	_, initial, err := c.MonitorCond(ctx, dbOpenVSwitch, monitorID, reqs, r.apply)
	if err != nil {
		return nil, err
	}
	r.apply(initial)
	return r, nil
}

// apply merges one update (initial, insert, modify diffs, delete).
func (r *replica) apply(up client.Updates) {
	r.mu.Lock()
	for tname, rows := range up {
		tbl := r.s.Tables[tname]
		if tbl == nil {
			continue
		}
		m := r.mu.rows[tname]
		if m == nil {
			m = map[schema.UUID]map[string]schema.Datum{}
			r.mu.rows[tname] = m
		}
		for u, ru := range rows {
			switch ru.Kind {
			case client.KindDelete:
				delete(m, u)
			case client.KindModify:
				old := m[u]
				next := make(map[string]schema.Datum, len(old)+len(ru.Row))
				for k, v := range old {
					next[k] = v
				}
				for col, diff := range ru.Row {
					c := tbl.Columns[col]
					if c == nil {
						continue
					}
					base, ok := next[col]
					if !ok {
						base = schema.DefaultDatum(&c.Type)
					}
					next[col] = schema.ApplyDiff(base, diff, &c.Type)
				}
				m[u] = next
			default:
				m[u] = ru.Row
			}
		}
	}
	r.mu.Unlock()
	select {
	case r.changed <- struct{}{}:
	default:
	}
}

// snapshot returns the current contents. Row maps are never modified in
// place (apply replaces them), so sharing them is safe.
func (r *replica) snapshot() map[string]map[schema.UUID]map[string]schema.Datum {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(map[string]map[schema.UUID]map[string]schema.Datum, len(r.mu.rows))
	for t, rows := range r.mu.rows {
		m := make(map[schema.UUID]map[string]schema.Datum, len(rows))
		for u, cols := range rows {
			m[u] = cols
		}
		out[t] = m
	}
	return out
}

// curCfg returns the largest cur_cfg of any Open_vSwitch row and whether
// one exists.
func (r *replica) curCfg() (int64, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	found := false
	var best int64
	for _, cols := range r.mu.rows[tableOpenVSwitch] {
		var v int64
		if d, ok := cols[colCurCfg]; ok && len(d.Keys) == 1 {
			v, _ = d.Keys[0].(int64)
		}
		if !found || v > best {
			best = v
		}
		found = true
	}
	return best, found
}
