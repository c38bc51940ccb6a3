package executor

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

const (
	maxTerminationMessage = 4096 // kubelet's limit for the message file
	fallbackLogLines      = 80   // FallbackToLogsOnError: last lines of the log ...
	maxFallbackLog        = 2048 // ... capped like the kubelet does
)

// exec runs one attempt of a container in its sandbox and records its start and exit.
// It returns the exit code and whether the pod was killed meanwhile.
func (w *podWorker) exec(ctx context.Context, c *corev1.Container, box *sandbox, started func()) (int32, bool) {
	logPath := w.logPath(c.Name, false)
	if _, err := os.Stat(logPath); err == nil {
		_ = os.Rename(logPath, w.logPath(c.Name, true)) // `kubectl logs --previous`
	}
	termFile := filepath.Join(w.dir, c.Name+".termination-log")
	box.termFile = termFile
	logFile, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err == nil {
		// Written by the container's user, whoever that is.
		err = os.WriteFile(termFile, nil, 0o666)
		if err == nil {
			err = os.Chmod(termFile, 0o666)
		}
	}
	if err != nil {
		return w.startFailed(c, err), false
	}
	defer logFile.Close()

	// One pipe for stdout and stderr keeps their lines in order, as in a combined log.
	pr, pw, err := os.Pipe()
	if err != nil {
		return w.startFailed(c, err), false
	}
	cmd := exec.Command(w.e.bwrap, box.args(w.e.selfExe)...)
	cmd.Env = box.env
	cmd.Stdout, cmd.Stderr = pw, pw
	startedAt := metav1.Now()
	err = w.e.cfg.Start(cmd)
	pw.Close()
	if err != nil {
		pr.Close()
		return w.startFailed(c, err), false
	}
	pid := cmd.Process.Pid
	copied := make(chan struct{})
	go func() {
		copyLog(pr, logFile, fmt.Sprintf("[%s/%s] ", w.key, c.Name))
		close(copied)
	}()
	w.mu.Lock()
	w.running[c.Name] = true
	w.st.started(c.Name, pid, box.image, startedAt)
	w.mu.Unlock()
	w.logf("container %s started (pid %d, image %s)", c.Name, pid, box.image.describe())
	w.flush()
	started()

	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	killed := false
	select {
	case <-exited:
	case <-ctx.Done():
		killed = true
		_ = syscall.Kill(-pid, syscall.SIGKILL) // bwrap's sandbox dies with it (--die-with-parent)
		<-exited
	}
	select {
	case <-copied:
	case <-time.After(2 * time.Second): // something still holds the pipe; stop reading
		pr.Close()
		<-copied
	}
	pr.Close()

	code := exitCode(cmd.ProcessState)
	msg := terminationMessage(termFile, logPath, c, code)
	startError := code == 128 && strings.HasPrefix(msg, startErrorMarker)
	w.mu.Lock()
	w.running[c.Name] = false
	w.st.terminated(c.Name, code, strings.TrimPrefix(msg, startErrorMarker), startedAt, metav1.Now())
	if startError {
		w.st.setReason(c.Name, "StartError")
	}
	w.mu.Unlock()
	w.logf("container %s exited with %d%s", c.Name, code, map[bool]string{true: " (killed)"}[killed])
	w.flush()
	return code, killed
}

// startFailed records a container that could not be started at all (exit code 128, as
// runtimes report a StartError).
func (w *podWorker) startFailed(c *corev1.Container, err error) int32 {
	now := metav1.Now()
	w.update(func(s *podStatus) {
		s.terminated(c.Name, 128, err.Error(), now, now)
		s.setReason(c.Name, "StartError")
	})
	w.logf("container %s failed to start: %v", c.Name, err)
	w.flush()
	return 128
}

func exitCode(ps *os.ProcessState) int32 {
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int32(ws.Signal())
	}
	return int32(ps.ExitCode())
}

// terminationMessage reads what the container wrote to its terminationMessagePath, or, with
// FallbackToLogsOnError and a failure, the tail of its log.
func terminationMessage(termFile, logPath string, c *corev1.Container, code int32) string {
	data, _ := readAtMost(termFile, maxTerminationMessage)
	if len(data) == 0 && code != 0 && c.TerminationMessagePolicy == corev1.TerminationMessageFallbackToLogsOnError {
		log, _ := os.ReadFile(logPath)
		lines := strings.Split(strings.TrimRight(string(log), "\n"), "\n")
		if len(lines) > fallbackLogLines {
			lines = lines[len(lines)-fallbackLogLines:]
		}
		msg := strings.Join(lines, "\n")
		if len(msg) > maxFallbackLog {
			msg = msg[len(msg)-maxFallbackLog:]
		}
		return msg
	}
	return string(data)
}

func readAtMost(path string, n int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, n))
}

// copyLog writes the container's output to its log file and, prefixed, to the bed's stderr
// (bed.log when detached).
func copyLog(r io.Reader, file io.Writer, prefix string) {
	br := bufio.NewReaderSize(r, 64*1024)
	for {
		line, err := br.ReadString('\n')
		if line != "" {
			_, _ = io.WriteString(file, line)
			if !strings.HasSuffix(line, "\n") {
				line += "\n"
			}
			_, _ = io.WriteString(os.Stderr, prefix+line)
		}
		if err != nil {
			if !errors.Is(err, io.EOF) && !errors.Is(err, os.ErrClosed) {
				fmt.Fprintf(os.Stderr, "%slog copy: %v\n", prefix, err)
			}
			return
		}
	}
}
