package executor

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
)

// SandboxInitCommand is the hidden `bed` subcommand that runs first inside a sandbox.
const SandboxInitCommand = "sandbox-init"

// startErrorMarker begins the termination log of a container whose command could not be
// started, so that the executor reports it as runtimes do: reason StartError, exit code 128,
// the cause as the message (not a command that ran and exited 128).
const startErrorMarker = "\x00bed-start-error\x00"

// SandboxInit switches to the container's user and groups, then execs its command (looked
// up in the container's PATH). It runs as root inside the sandbox; changing the uid away
// from 0 drops all capabilities. If the command cannot be started, the reason goes to the
// termination log (the container runtime would put it into the status) and it exits 128.
func SandboxInit(args []string) error {
	fs := flag.NewFlagSet(SandboxInitCommand, flag.ContinueOnError)
	uid := fs.Int("uid", -1, "user id")
	gid := fs.Int("gid", -1, "group id")
	groups := fs.String("groups", "", "supplementary group ids, comma separated")
	termLog := fs.String("termination-log", "", "termination message file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	argv := fs.Args()
	fail := func(err error) error {
		if *termLog != "" {
			_ = os.WriteFile(*termLog, []byte(startErrorMarker+err.Error()), 0o666)
		}
		fmt.Fprintln(os.Stderr, err)
		os.Exit(128)
		return nil
	}
	if len(argv) == 0 {
		return fail(errors.New("no command"))
	}
	if *gid >= 0 || *groups != "" {
		var gs []int
		for _, g := range strings.Split(*groups, ",") {
			if g == "" {
				continue
			}
			n, err := strconv.Atoi(g)
			if err != nil {
				return fail(err)
			}
			gs = append(gs, n)
		}
		if err := syscall.Setgroups(gs); err != nil {
			return fail(fmt.Errorf("setgroups: %w", err))
		}
	}
	if *gid >= 0 {
		if err := syscall.Setgid(*gid); err != nil {
			return fail(fmt.Errorf("setgid: %w", err))
		}
	}
	if *uid >= 0 {
		if err := syscall.Setuid(*uid); err != nil {
			return fail(fmt.Errorf("setuid: %w", err))
		}
	}
	path, err := exec.LookPath(argv[0])
	if err != nil {
		return fail(fmt.Errorf("exec: %q: %w", argv[0], unwrapExec(err)))
	}
	err = syscall.Exec(path, argv, os.Environ())
	return fail(fmt.Errorf("exec %s: %w", path, err))
}

func unwrapExec(err error) error {
	var ee *exec.Error
	if errors.As(err, &ee) {
		if errors.Is(ee.Err, exec.ErrNotFound) {
			return errors.New("executable file not found in $PATH")
		}
		return ee.Err
	}
	return err
}
