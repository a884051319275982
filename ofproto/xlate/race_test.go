package xlate

import (
	"fmt"
	"sync"
	"testing"

	"govs/datapath"
	"govs/datapath/flow"
	"govs/flowtable/flowsyntax"
	"govs/flowtable/ofpact"
)

// TestConcurrentUpcallsAndFlowMods translates on several goroutines
// while flow mods and port changes run (go test -race).
func TestConcurrentUpcallsAndFlowMods(t *testing.T) {
	p := newTestPipeline(t, nil, seedPorts(t), "priority=0,actions=NORMAL")
	const workers, rounds = 3, 200
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mask flow.Key
			var acts datapath.Actions
			for i := range rounds {
				k := ipKey(flow.PortNo(1+i%2), byte(w*10+i%7), byte(i%5), 17, 64)
				mask.Reset()
				if _, err := p.UpcallCookie(&k, &mask, &acts, 60); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	for i := range rounds {
		cmd := flowsyntax.CmdAdd
		if i%3 == 2 {
			cmd = flowsyntax.CmdDeleteStrict
		}
		fm, _, err := flowsyntax.ParseFlow(flowText(cmd, i), cmd, nil)
		if err != nil {
			t.Fatal(err)
		}
		p.Tables().Apply(fm, ofpact.OF10)
		if i%50 == 0 {
			p.PortsChanged(seedPorts(t))
		}
	}
	wg.Wait()
}

func flowText(cmd flowsyntax.Command, i int) string {
	s := fmt.Sprintf("priority=%d,in_port=%d", 5+i%4, 1+i%2)
	if cmd == flowsyntax.CmdAdd {
		s += fmt.Sprintf(",actions=output:%d", 2-i%2)
	}
	return s
}
