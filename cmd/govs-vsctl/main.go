package main

import (
	"os"
	"path/filepath"

	"govs/ovsdb/vsctl"
)

func main() {
	code := vsctl.Run(vsctl.Config{
		Prog:   filepath.Base(os.Args[0]),
		Args:   os.Args[1:],
		Stdout: os.Stdout,
		Stderr: os.Stderr,
	})
	if code == vsctl.ExitTimeout {
		vsctl.DieOfAlarm()
	}
	os.Exit(code)
}
