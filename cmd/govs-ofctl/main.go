package main

import (
	"os"

	"govs/cmd/govs-ofctl/internal/ofctl"
)

func main() {
	os.Exit(ofctl.Run(os.Args[1:], ofctl.Env{
		Stdin:       os.Stdin,
		Stdout:      os.Stdout,
		Stderr:      os.Stderr,
		Rundir:      os.Getenv("OVS_RUNDIR"),
		StdoutIsTTY: isTerminal(os.Stdout.Fd()),
	}))
}
