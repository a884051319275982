package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"govs/bench/report"
	"govs/bench/run"
	"govs/bench/topo"
)

// Exit codes.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
	// exitInterrupted is the shell's 128+SIGINT.
	exitInterrupted = 130
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	go forceExitOnSecondSignal(ctx)
	code := mainErr(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// forceExitOnSecondSignal waits for the first signal (ctx done), then
// for a second one: if the orderly cleanup hangs, the user can press
// Ctrl-C again to delete the lab namespaces and exit at once.
func forceExitOnSecondSignal(ctx context.Context) {
	<-ctx.Done()
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGINT, syscall.SIGTERM)
	<-ch
	fmt.Fprintln(os.Stderr, "govs-bench: second signal: deleting the lab namespaces and exiting now")
	topo.CleanupAll()
	os.Exit(exitInterrupted)
}

// mainErr runs govs-bench and returns the exit code. Cancelling ctx
// (SIGINT/SIGTERM) stops the run; everything created is removed before it
// returns.
func mainErr(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintln(stderr, "govs-bench:", err)
		return exitUsage
	}
	if os.Geteuid() != 0 {
		fmt.Fprintln(stderr, "govs-bench: must run as root (it creates network namespaces)")
		return exitError
	}
	o.cfg.Progress = stderr
	rep, err := run.Run(ctx, o.cfg)
	code := exitOK
	if err != nil {
		fmt.Fprintln(stderr, "govs-bench:", err)
		code = exitError
	}
	if rep == nil || len(rep.Cases) == 0 && len(rep.RuleLoads) == 0 {
		return exitError
	}
	if ctx.Err() != nil {
		rep.Note = "interrupted: partial results"
	}
	fmt.Fprintln(stdout)
	if err := report.WriteTable(stdout, rep); err != nil {
		fmt.Fprintln(stderr, "govs-bench:", err)
		code = exitError
	}
	if err := writeFile(o.jsonFile, func(w io.Writer) error { return report.WriteJSON(w, rep) }); err != nil {
		fmt.Fprintln(stderr, "govs-bench: -json:", err)
		code = exitError
	}
	if err := writeFile(o.chartFile, func(w io.Writer) error { return report.WriteChart(w, rep) }); err != nil {
		fmt.Fprintln(stderr, "govs-bench: -chart:", err)
		code = exitError
	}
	return code
}

// writeFile writes name with f; an empty name writes nothing.
func writeFile(name string, f func(io.Writer) error) error {
	if name == "" {
		return nil
	}
	out, err := os.Create(name)
	if err != nil {
		return err
	}
	err = f(out)
	return errors.Join(err, out.Close())
}
