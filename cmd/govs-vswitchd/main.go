package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Exit codes.
const (
	exitOK      = 0
	exitFailure = 1
)

func main() {
	os.Exit(mainExit(os.Args[1:]))
}

func mainExit(args []string) int {
	cfg, err := parseFlags(args)
	switch {
	case errors.Is(err, errHelp):
		fmt.Print(usageText)
		return exitOK
	case errors.Is(err, errVersion):
		fmt.Println(versionText)
		return exitOK
	case err != nil:
		fmt.Fprintf(os.Stderr, "%s: %v (use --help for help)\n", programName, err)
		return exitFailure
	}
	var console io.Writer = os.Stderr
	var ready func()
	if cfg.Detach {
		if os.Getenv(envDetached) == "" {
			// Parent: start the background child and wait until it serves.
			if err := detach(); err != nil {
				fmt.Fprintf(os.Stderr, "%s: %v\n", programName, err)
				return exitFailure
			}
			return exitOK
		}
		console = nil
		ready = detachedReady
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	if err := Run(ctx, cfg, console, ready); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", programName, err)
		if ready != nil {
			detachedFailed(err)
		}
		return exitFailure
	}
	return exitOK
}
