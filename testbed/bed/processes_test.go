package main

import (
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

func startComponent(t *testing.T, s *Supervisor, name string, argv ...string) *Proc {
	t.Helper()
	p, err := s.Start(name, exec.Command(argv[0], argv[1:]...), filepath.Join(t.TempDir(), name+".log"), syscall.SIGTERM)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func nextDeath(t *testing.T, s *Supervisor) *Proc {
	t.Helper()
	select {
	case p := <-s.Died():
		return p
	case <-time.After(30 * time.Second):
		t.Fatal("no component death reported")
		return nil
	}
}

// A component stopped on request must not be mistaken for a crash, which brings the bed
// down; a component that exits on its own still is one.
func TestDeliberateStopIsNoDeathButACrashIs(t *testing.T) {
	s := NewSupervisor()
	defer s.StopAll(time.Second, nil)
	db := startComponent(t, s, "postgres", "sleep", "60")

	if err := s.Stop("postgres", 5*time.Second); err != nil {
		t.Fatal(err)
	}
	if exited, _ := db.Exited(); !exited {
		t.Fatal("Stop returned before the component exited")
	}
	if s.Running("postgres") {
		t.Error("a stopped component is reported running")
	}
	startComponent(t, s, "crasher", "sh", "-c", "exit 3")
	if p := nextDeath(t, s); p.Name != "crasher" {
		t.Errorf("death reported for %s, want crasher", p.Name)
	}
}

// StopAll must stop a component started again after a deliberate stop, and only once.
func TestStopAllStopsARestartedComponent(t *testing.T) {
	s := NewSupervisor()
	startComponent(t, s, "postgres", "sleep", "60")
	if err := s.Stop("postgres", 5*time.Second); err != nil {
		t.Fatal(err)
	}
	again := startComponent(t, s, "postgres", "sleep", "60")
	if !s.Running("postgres") {
		t.Fatal("the restarted component is not reported running")
	}

	s.StopAll(5*time.Second, []string{"postgres"})
	if exited, _ := again.Exited(); !exited {
		t.Error("StopAll left the restarted component running")
	}
	if err := s.Stop("postgres", time.Second); err == nil {
		t.Error("Stop during shutdown should fail")
	}
}

func TestStopOfAComponentThatDoesNotRunIsNoError(t *testing.T) {
	s := NewSupervisor()
	if err := s.Stop("postgres", time.Second); err != nil {
		t.Errorf("Stop: %v", err)
	}
}
