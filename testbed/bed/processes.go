package main

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"syscall"
	"time"
)

// Supervisor starts every child process of the bed and stops them again.
//
// Children must die with the bed even when the bed is SIGKILLed, so each one gets
// Pdeathsig=SIGKILL. The kernel delivers that signal when the *thread* that forked the
// child exits, not the process, and the Go runtime may retire idle threads at any time.
// Therefore all forks happen on one goroutine that is locked to its OS thread and never
// returns. Each child also gets its own process group so that it can be stopped together
// with whatever it spawned.
type Supervisor struct {
	forks chan forkRequest

	mu       sync.Mutex
	procs    []*Proc // components in start order
	stopping bool
	died     chan *Proc // a critical component exited on its own
}

type forkRequest struct {
	cmd  *exec.Cmd
	done chan error
}

// Proc is a long-running component of the bed.
type Proc struct {
	Name    string
	Cmd     *exec.Cmd
	LogPath string
	// StopSignal asks the component to shut down cleanly (postgres wants SIGINT).
	StopSignal syscall.Signal
	done       chan struct{}
	err        error
	// deliberate is set (under the Supervisor's lock) when the bed stops p on request, so
	// that its exit is not mistaken for a crash.
	deliberate bool
}

func NewSupervisor() *Supervisor {
	s := &Supervisor{forks: make(chan forkRequest), died: make(chan *Proc, 16)}
	go s.forkLoop()
	return s
}

func (s *Supervisor) forkLoop() {
	runtime.LockOSThread() // never unlocked: this thread must live as long as the bed
	for r := range s.forks {
		r.done <- r.cmd.Start()
	}
}

// StartCmd starts cmd as a child that dies with the bed, in its own process group.
func (s *Supervisor) StartCmd(cmd *exec.Cmd) error {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Setpgid = true
	cmd.SysProcAttr.Pdeathsig = syscall.SIGKILL
	done := make(chan error, 1)
	s.forks <- forkRequest{cmd: cmd, done: done}
	return <-done
}

// RunOnce runs a short helper command (initdb, ...) to completion; its output goes to logPath.
func (s *Supervisor) RunOnce(cmd *exec.Cmd, logPath string) error {
	out, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer out.Close()
	cmd.Stdout, cmd.Stderr = out, out
	if err := s.StartCmd(cmd); err != nil {
		return err
	}
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("%s: %w (see %s)", filepath.Base(cmd.Path), err, logPath)
	}
	return nil
}

// Start starts a long-running component whose output goes to logPath. If it exits before
// the bed shuts down it is reported on Died().
func (s *Supervisor) Start(name string, cmd *exec.Cmd, logPath string, stop syscall.Signal) (*Proc, error) {
	// Appending keeps the log of a component's earlier run when the bed restarts it (a fresh
	// bed starts with empty logs anyway).
	out, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = out, out
	p := &Proc{Name: name, Cmd: cmd, LogPath: logPath, StopSignal: stop, done: make(chan struct{})}
	s.mu.Lock()
	if s.stopping {
		s.mu.Unlock()
		out.Close()
		return nil, errors.New("bed is shutting down")
	}
	err = s.StartCmd(cmd)
	if err == nil {
		s.procs = append(s.procs, p)
	}
	s.mu.Unlock()
	out.Close() // the child holds its own descriptor
	if err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	logf("started %s (pid %d), log %s", name, cmd.Process.Pid, logPath)
	go func() {
		p.err = cmd.Wait()
		close(p.done)
		s.mu.Lock()
		expected := s.stopping || p.deliberate
		s.mu.Unlock()
		if !expected {
			s.died <- p
		}
	}()
	return p, nil
}

// Died reports components that exited while the bed was running.
func (s *Supervisor) Died() <-chan *Proc { return s.died }

// Exited reports whether p has exited, and how.
func (p *Proc) Exited() (bool, error) {
	select {
	case <-p.done:
		return true, p.err
	default:
		return false, nil
	}
}

// StopAll stops the components, those named in order first and in that order, the rest in
// reverse start order (see terminate).
func (s *Supervisor) StopAll(timeout time.Duration, order []string) {
	s.mu.Lock()
	s.stopping = true
	procs := make([]*Proc, 0, len(s.procs))
	for _, name := range order {
		for _, p := range s.procs {
			if p.Name == name {
				procs = append(procs, p)
			}
		}
	}
	for i := len(s.procs) - 1; i >= 0; i-- {
		if !slices.Contains(order, s.procs[i].Name) {
			procs = append(procs, s.procs[i])
		}
	}
	s.mu.Unlock()
	for _, p := range procs {
		terminate(p, timeout)
	}
}

// Stop stops the component called name on request: its exit is not reported on Died(), and
// StopAll forgets it (a later Start of the same name is a new component). A component that
// is not running is no error.
func (s *Supervisor) Stop(name string, timeout time.Duration) error {
	s.mu.Lock()
	if s.stopping {
		s.mu.Unlock()
		return errors.New("bed is shutting down")
	}
	i := slices.IndexFunc(s.procs, func(p *Proc) bool { return p.Name == name })
	if i < 0 {
		s.mu.Unlock()
		return nil
	}
	p := s.procs[i]
	p.deliberate = true
	s.procs = slices.Delete(s.procs, i, i+1)
	s.mu.Unlock()
	terminate(p, timeout)
	return nil
}

// Running reports whether a component called name is running.
func (s *Supervisor) Running(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.procs {
		if p.Name == name {
			if exited, _ := p.Exited(); !exited {
				return true
			}
		}
	}
	return false
}

// terminate sends p its stop signal, then SIGKILL after the timeout; finally its whole
// process group is killed so that nothing it spawned survives.
func terminate(p *Proc, timeout time.Duration) {
	pgid := p.Cmd.Process.Pid
	_ = syscall.Kill(-pgid, p.StopSignal)
	select {
	case <-p.done:
	case <-time.After(timeout):
		logf("%s did not stop within %s, killing it", p.Name, timeout)
	}
	_ = syscall.Kill(-pgid, syscall.SIGKILL)
	<-p.done
	logf("stopped %s", p.Name)
}

// freePort asks the kernel for a free TCP port on 127.0.0.1. There is a small window in
// which another process could take it; acceptable for a test bed.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// logf2 writes a progress line to stderr (stdout is reserved for the env lines).
func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, time.Now().Format("15:04:05.000")+" bed: "+format+"\n", args...)
}
