package main

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// runningBed makes state look like the state dir of a running bed (its lock held) serving
// the given operations.
func runningBed(t *testing.T, ops map[string]controlOp) (state string, c *controlServer) {
	t.Helper()
	state = t.TempDir()
	lock, err := tryLock(state)
	if err != nil || lock == nil {
		t.Fatalf("lock %s: %v", state, err)
	}
	t.Cleanup(func() { lock.Close() })
	c, err = serveControl(filepath.Join(state, controlSocket), ops)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return state, c
}

func TestControlRequestRunsTheOperationAndReportsItsError(t *testing.T) {
	var stops atomic.Int32
	state, _ := runningBed(t, map[string]controlOp{
		"postgres/stop":     func(context.Context) error { stops.Add(1); return nil },
		"apiserver/restart": func(context.Context) error { return errors.New("etcd is gone") },
	})

	if err := requestControl(state, "postgres/stop"); err != nil {
		t.Fatalf("postgres/stop: %v", err)
	}
	if stops.Load() != 1 {
		t.Errorf("operation ran %d times, want 1", stops.Load())
	}
	if err := requestControl(state, "apiserver/restart"); err == nil || !strings.Contains(err.Error(), "etcd is gone") {
		t.Errorf("apiserver/restart: got %v, want the operation's error", err)
	}
	if err := requestControl(state, "postgres/start"); err == nil {
		t.Error("an unknown operation succeeded")
	}
}

func TestControlRequestWithoutARunningBedFails(t *testing.T) {
	err := requestControl(t.TempDir(), "postgres/stop")
	if err == nil || !strings.Contains(err.Error(), "no test bed running") {
		t.Errorf("got %v", err)
	}
}

// The bed stops its components right after closing the control channel: an operation in
// flight must have returned by then.
func TestCloseCancelsAndAwaitsTheOperationInFlight(t *testing.T) {
	started := make(chan struct{})
	var returned atomic.Bool
	state, c := runningBed(t, map[string]controlOp{
		"postgres/start": func(ctx context.Context) error {
			close(started)
			<-ctx.Done()
			returned.Store(true)
			return ctx.Err()
		},
	})
	failed := make(chan error, 1)
	go func() { failed <- requestControl(state, "postgres/start") }()
	<-started

	c.Close()
	if !returned.Load() {
		t.Error("Close returned while the operation was still running")
	}
	if err := <-failed; err == nil {
		t.Error("the interrupted operation reported success")
	}
}

func TestControlVerbsAreChecked(t *testing.T) {
	for _, args := range [][]string{nil, {"restart", "--state", "/x"}, {"stop"}, {"stop", "--state", "/x", "extra"}} {
		if err := cmdControl("postgres", []string{"stop", "start"}, args); err == nil {
			t.Errorf("bed postgres %v: accepted", args)
		}
	}
}
