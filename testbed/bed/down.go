package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// The running bed holds an exclusive flock on <state>/bed.lock for its whole life. Unlike a
// pid file this cannot go stale: the kernel drops the lock when the process dies, however it
// dies, and the descriptor is close-on-exec so no child inherits it.
func tryLock(state string) (*os.File, error) {
	f, err := os.OpenFile(filepath.Join(state, "bed.lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, nil
		}
		return nil, err
	}
	return f, nil
}

// locked reports whether a bed holds the state lock.
func locked(state string) bool {
	f, err := tryLock(state)
	if err != nil {
		return false
	}
	if f == nil {
		return true
	}
	f.Close()
	return false
}

func stateFlag(name string, args []string) (string, []string, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	state := fs.String("state", "", "state directory of the bed")
	if err := fs.Parse(args); err != nil {
		return "", nil, err
	}
	if *state == "" {
		return "", nil, fmt.Errorf("%s: --state is required", name)
	}
	abs, err := filepath.Abs(*state)
	return abs, fs.Args(), err
}

func cmdDown(args []string) error {
	state, _, err := stateFlag("down", args)
	if err != nil {
		return err
	}
	if _, err := os.Stat(state); os.IsNotExist(err) {
		return nil
	}
	cleanup := func() {
		os.Remove(filepath.Join(state, "env"))
		os.Remove(filepath.Join(state, "bed.pid"))
	}
	if !locked(state) {
		cleanup()
		removeRealNode(state) // what a bed that died left of its node
		logf("no test bed running in %s", state)
		return nil
	}
	pid := 0
	for deadline := time.Now().Add(10 * time.Second); pid == 0 && time.Now().Before(deadline); {
		data, _ := os.ReadFile(filepath.Join(state, "bed.pid"))
		pid, _ = strconv.Atoi(strings.TrimSpace(string(data)))
		if pid == 0 {
			time.Sleep(100 * time.Millisecond) // the bed is just starting
		}
	}
	if pid == 0 {
		return fmt.Errorf("a test bed holds %s/bed.lock but wrote no bed.pid", state)
	}
	// Remember everything the bed spawned, to make sure it is gone afterwards.
	children := descendants(pid)
	logf("stopping test bed (pid %d, %d descendant processes)", pid, len(children))
	_ = syscall.Kill(pid, syscall.SIGTERM)
	if !waitUnlocked(state, 60*time.Second) {
		logf("test bed did not stop within 60s, killing it")
		_ = syscall.Kill(pid, syscall.SIGKILL)
		waitUnlocked(state, 10*time.Second)
	}
	// Children die with the bed (orderly, or by their parent-death signal); give stragglers
	// a moment, then kill them.
	deadline := time.Now().Add(10 * time.Second)
	for _, c := range children {
		for c.alive() && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
		}
		if c.alive() {
			logf("killing leftover process %d", c.pid)
			_ = syscall.Kill(c.pid, syscall.SIGKILL)
		}
	}
	cleanup()
	removeRealNode(state) // the bed removed it when it stopped in order; not when it was killed
	logf("test bed in %s stopped", state)
	return nil
}

func waitUnlocked(state string, timeout time.Duration) bool {
	for deadline := time.Now().Add(timeout); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if !locked(state) {
			return true
		}
	}
	return false
}

// proc identifies a process by pid and start time, so that a recycled pid is not mistaken
// for it.
type proc struct {
	pid   int
	start string
}

func (p proc) alive() bool {
	_, start, ok := readStat(p.pid)
	return ok && start == p.start
}

// readStat returns the parent pid and start time of pid from /proc/<pid>/stat.
func readStat(pid int) (ppid int, start string, ok bool) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, "", false
	}
	// The command name (field 2) may contain spaces; fields after it are fixed.
	s := string(data)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(fields) < 20 {
		return 0, "", false
	}
	ppid, _ = strconv.Atoi(fields[1])
	return ppid, fields[19], fields[0] != "Z"
}

func descendants(root int) []proc {
	entries, _ := os.ReadDir("/proc")
	children := map[int][]int{}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if ppid, _, ok := readStat(pid); ok {
			children[ppid] = append(children[ppid], pid)
		}
	}
	var out []proc
	queue := []int{root}
	for len(queue) > 0 {
		pid := queue[0]
		queue = queue[1:]
		for _, c := range children[pid] {
			if _, start, ok := readStat(c); ok {
				out = append(out, proc{c, start})
			}
			queue = append(queue, c)
		}
	}
	return out
}

func cmdEnv(args []string) error {
	state, _, err := stateFlag("env", args)
	if err != nil {
		return err
	}
	data, err := os.ReadFile(filepath.Join(state, "env"))
	if err != nil || !locked(state) {
		return fmt.Errorf("no test bed running in %s", state)
	}
	_, err = os.Stdout.Write(data)
	return err
}

// cmdLogs prints a Job pod container's log as kept by the executor (`kubectl logs` serves
// the same file through the bed's kubelet API).
func cmdLogs(args []string) error {
	state, rest, err := stateFlag("logs", args)
	if err != nil {
		return err
	}
	if len(rest) < 2 || len(rest) > 3 {
		return errors.New("usage: bed logs --state DIR NAMESPACE POD [CONTAINER]")
	}
	dir := filepath.Join(state, "pods", rest[0]+"_"+rest[1])
	var container string
	if len(rest) == 3 {
		container = rest[2]
	} else {
		logs, _ := filepath.Glob(filepath.Join(dir, "*.log"))
		var names []string
		for _, l := range logs {
			if n := strings.TrimSuffix(filepath.Base(l), ".log"); !strings.HasSuffix(n, ".previous") {
				names = append(names, n)
			}
		}
		if len(names) != 1 {
			return fmt.Errorf("pod %s/%s has logs for containers %v; name one", rest[0], rest[1], names)
		}
		container = names[0]
	}
	f, err := os.Open(filepath.Join(dir, container+".log"))
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(os.Stdout, f)
	return err
}
