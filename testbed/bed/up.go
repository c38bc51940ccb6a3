package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

type imageFlags map[string]string

func (m imageFlags) String() string { return fmt.Sprint(map[string]string(m)) }
func (m imageFlags) Set(v string) error {
	ref, dir, ok := strings.Cut(v, "=")
	if !ok || ref == "" || dir == "" {
		return fmt.Errorf("want REF=DIR, got %q", v)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	m[ref] = abs
	return nil
}

func cmdUp(args []string) error {
	fs := flag.NewFlagSet("up", flag.ContinueOnError)
	bin := fs.String("bin", "", "directory with etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok")
	state := fs.String("state", "", "state directory (created; the bed's data lives here)")
	detach := fs.Bool("detach", false, "run in the background; return once the bed is ready")
	stdinEOF := fs.Bool("exit-on-stdin-eof", false, "shut down when stdin reaches EOF (for a parent process that may die)")
	images := imageFlags{}
	fs.Var(images, "image", "REF=DIR: run image REF from root directory DIR (repeatable)")
	pause := fs.String("real-node", "", "PAUSE: also run a real node (kubelet, containerd), its sandboxes running this pause program")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *bin == "" || *state == "" || fs.NArg() > 0 {
		return errors.New("usage: bed up --bin DIR --state DIR [--detach] [--exit-on-stdin-eof] [--image REF=DIR ...] [--real-node PAUSE]")
	}
	if *detach && *stdinEOF {
		return errors.New("--detach and --exit-on-stdin-eof exclude each other")
	}
	stateDir, err := filepath.Abs(*state)
	if err != nil {
		return err
	}
	binDir, err := filepath.Abs(*bin)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(stateDir, 0o755); err != nil {
		return err
	}

	lock, err := tryLock(stateDir)
	if err != nil {
		return err
	}
	if lock == nil {
		// A bed holds the lock: it is running or starting. Reuse it.
		logf("a test bed is already running in %s, reusing it", stateDir)
		return printWhenReady(stateDir, nil, startupTimeout)
	}
	// No bed runs here: whatever env/pid files exist are stale.
	os.Remove(filepath.Join(stateDir, "env"))
	os.Remove(filepath.Join(stateDir, "bed.pid"))

	if *detach {
		lock.Close()
		return upDetached(stateDir, binDir, images, *pause)
	}
	defer lock.Close()
	return upForeground(stateDir, binDir, images, *pause, *stdinEOF)
}

// upDetached re-executes `bed up` in a new session with its output in <state>/bed.log and
// returns once that child wrote <state>/env, or fails with the log tail if it died.
func upDetached(state, bin string, images imageFlags, pause string) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	args := []string{"up", "--bin", bin, "--state", state}
	for ref, dir := range images {
		args = append(args, "--image", ref+"="+dir)
	}
	if pause != "" {
		args = append(args, "--real-node", pause)
	}
	logPath := filepath.Join(state, "bed.log")
	logFile, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer logFile.Close()
	devnull, err := os.Open(os.DevNull)
	if err != nil {
		return err
	}
	defer devnull.Close()
	cmd := exec.Command(exe, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = devnull, logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true} // survives the caller's terminal/session
	if err := cmd.Start(); err != nil {
		return err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	logf("started test bed in the background (pid %d, log %s)", cmd.Process.Pid, logPath)
	return printWhenReady(state, exited, startupTimeout+30*time.Second)
}

// printWhenReady waits for <state>/env and prints it. It gives up when the bed process that
// should write it exits (exited, or the state lock becomes free) or on timeout.
func printWhenReady(state string, exited <-chan error, timeout time.Duration) error {
	envPath := filepath.Join(state, "env")
	logPath := filepath.Join(state, "bed.log")
	deadline := time.Now().Add(timeout)
	for {
		if data, err := os.ReadFile(envPath); err == nil {
			_, err = os.Stdout.Write(data)
			return err
		}
		select {
		case err := <-exited:
			return fmt.Errorf("test bed exited during startup (%v); last lines of %s:\n%s", err, logPath, tail(logPath, 40))
		case <-time.After(100 * time.Millisecond):
		}
		if exited == nil && !locked(state) {
			return fmt.Errorf("the test bed in %s stopped before it was ready; see %s", state, logPath)
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("timed out waiting for the test bed in %s; see %s", state, logPath)
		}
	}
}

func upForeground(state, bin string, images imageFlags, pause string, exitOnStdinEOF bool) error {
	if err := os.WriteFile(filepath.Join(state, "bed.pid"), []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		return err
	}
	// Signals are caught from here on, so a Ctrl-C during startup still cleans up.
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	stdinClosed := make(chan struct{})
	if exitOnStdinEOF {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			close(stdinClosed)
		}()
	}

	b := newBed(state, bin, images, pause)
	defer func() {
		b.Stop()
		os.Remove(filepath.Join(state, "env"))
		os.Remove(filepath.Join(state, "bed.pid"))
		logf("test bed stopped")
	}()

	started := make(chan error, 1)
	go func() { started <- b.Start() }()
	select {
	case err := <-started:
		if err != nil {
			return err
		}
	case sig := <-signals:
		b.abortStartup(fmt.Errorf("interrupted by %v during startup", sig))
		return <-started
	case <-stdinClosed:
		b.abortStartup(errors.New("stdin closed during startup"))
		return <-started
	}

	env := formatEnv(b.Env())
	if err := writeFileAtomic(filepath.Join(state, "env"), []byte(env), 0o600); err != nil {
		return err
	}
	fmt.Print(env)

	select {
	case sig := <-signals:
		logf("received %v, shutting down", sig)
	case <-stdinClosed:
		logf("stdin closed, shutting down")
	case p := <-b.sup.Died():
		_, err := p.Exited()
		return fmt.Errorf("%s exited unexpectedly (%v); last lines of %s:\n%s", p.Name, err, p.LogPath, tail(p.LogPath, 30))
	}
	return nil
}
