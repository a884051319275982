package run

import (
	"os"
	"strconv"
	"strings"
	"time"
)

// userHZ is the unit of utime and stime in /proc/PID/stat (USER_HZ, 100
// on every Linux ABI Go supports).
const userHZ = 100

// statUtimeField is the index of utime among the fields after the
// command name's closing parenthesis (utime is field 14 of the whole
// line; stime follows it).
const statUtimeField = 11

// processCPU returns the CPU time (user + system, all threads, dead ones
// included) the processes pids have used so far; ok is false when one
// of them cannot be read.
func processCPU(pids []int) (d time.Duration, ok bool) {
	if len(pids) == 0 {
		return 0, false
	}
	var ticks int64
	for _, pid := range pids {
		b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
		if err != nil {
			return 0, false
		}
		s := string(b)
		i := strings.LastIndexByte(s, ')')
		if i < 0 {
			return 0, false
		}
		f := strings.Fields(s[i+1:])
		if len(f) <= statUtimeField+1 {
			return 0, false
		}
		for _, v := range f[statUtimeField : statUtimeField+2] {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return 0, false
			}
			ticks += n
		}
	}
	return time.Duration(ticks) * (time.Second / userHZ), true
}
