package executor

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"
)

// Why a pod's processes were killed; the first cause wins.
var (
	errDeleted  = errors.New("pod deleted")
	errDeadline = errors.New("activeDeadlineSeconds exceeded")
	errShutdown = errors.New("test bed shutting down")
)

type containerKind int

const (
	kindInit    containerKind = iota
	kindSidecar               // init container with restartPolicy Always
	kindMain
)

// podWorker runs one pod from start to a terminal phase, like a kubelet's pod worker.
type podWorker struct {
	e        *Executor
	key      string // <ns>/<name>
	ns, name string
	uid      types.UID
	dir      string

	ctx    context.Context
	cancel context.CancelCauseFunc

	mu      sync.Mutex
	pod     *corev1.Pod // newest version seen
	st      *podStatus
	running map[string]bool
	removed bool // the pod object is gone: nothing to report to any more

	flushMu sync.Mutex
}

func newPodWorker(e *Executor, pod *corev1.Pod) *podWorker {
	ctx, cancel := context.WithCancelCause(e.ctx)
	w := &podWorker{
		e: e, key: pod.Namespace + "/" + pod.Name, ns: pod.Namespace, name: pod.Name, uid: pod.UID,
		dir:     filepath.Join(e.cfg.PodsDir, pod.Namespace+"_"+pod.Name),
		ctx:     ctx,
		cancel:  cancel,
		pod:     pod.DeepCopy(),
		st:      newPodStatus(pod),
		running: map[string]bool{},
	}
	if pod.DeletionTimestamp != nil {
		cancel(errDeleted)
	}
	return w
}

func (w *podWorker) logf(format string, args ...any) {
	w.e.cfg.Logf("pod %s: "+format, append([]any{w.key}, args...)...)
}

func (w *podWorker) observe(pod *corev1.Pod) {
	w.mu.Lock()
	w.pod = pod.DeepCopy()
	w.mu.Unlock()
	if pod.DeletionTimestamp != nil {
		w.cancel(errDeleted)
	}
}

func (w *podWorker) gone() {
	w.mu.Lock()
	w.removed = true
	w.mu.Unlock()
	w.cancel(errDeleted)
}

func (w *podWorker) kill(cause error) { w.cancel(cause) }

func (w *podWorker) currentPod() *corev1.Pod {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.pod
}

func (w *podWorker) hasContainer(name string) bool {
	pod := w.currentPod()
	for _, list := range [][]corev1.Container{pod.Spec.InitContainers, pod.Spec.Containers} {
		for _, c := range list {
			if c.Name == name {
				return true
			}
		}
	}
	return false
}

func (w *podWorker) isRunning(container string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.running[container]
}

func (w *podWorker) logPath(container string, previous bool) string {
	if previous {
		return filepath.Join(w.dir, container+".previous.log")
	}
	return filepath.Join(w.dir, container+".log")
}

// update changes the status model under the lock.
func (w *podWorker) update(f func(s *podStatus)) {
	w.mu.Lock()
	f(w.st)
	w.mu.Unlock()
}

func (w *podWorker) run() {
	pod := w.currentPod()
	w.logf("starting (job %s)", pod.Labels["batch.kubernetes.io/job-name"])
	// A pod that reuses the name of an earlier one starts with a clean directory.
	w.update(func(s *podStatus) { s.begin() })
	w.flush()
	err := os.RemoveAll(w.dir)
	if err == nil {
		err = os.MkdirAll(filepath.Join(w.dir, "volumes"), 0o755)
	}
	if err != nil {
		w.finish(corev1.PodFailed, "PodDirectoryError", err.Error())
		return
	}

	if ads := pod.Spec.ActiveDeadlineSeconds; ads != nil {
		t := time.AfterFunc(time.Duration(*ads)*time.Second, func() { w.cancel(errDeadline) })
		defer t.Stop()
	}

	volumes, err := w.prepareVolumes(pod)
	if err != nil {
		if w.ctx.Err() != nil {
			w.finishCanceled()
		} else {
			w.finish(corev1.PodFailed, "UnsupportedVolume", err.Error())
		}
		return
	}
	w.update(func(s *podStatus) { s.sandboxReady = true })
	w.flush()

	sidecarCtx, stopSidecars := context.WithCancel(w.ctx)
	var sidecars sync.WaitGroup
	defer func() {
		stopSidecars()
		sidecars.Wait()
	}()
	for i := range pod.Spec.InitContainers {
		c := &pod.Spec.InitContainers[i]
		if isSidecar(c) {
			started := make(chan struct{})
			sidecars.Add(1)
			go func() {
				defer sidecars.Done()
				w.runContainer(sidecarCtx, pod, c, kindSidecar, volumes, started)
			}()
			select {
			case <-started:
			case <-w.ctx.Done():
			}
			continue
		}
		code, killed := w.runContainer(w.ctx, pod, c, kindInit, volumes, nil)
		if killed || w.ctx.Err() != nil {
			stopSidecars()
			sidecars.Wait()
			w.finishCanceled()
			return
		}
		if code != 0 { // with restartPolicy Never; OnFailure retries inside runContainer
			stopSidecars()
			sidecars.Wait()
			w.finish(corev1.PodFailed, "", "")
			return
		}
	}

	codes := make([]int32, len(pod.Spec.Containers))
	killed := make([]bool, len(pod.Spec.Containers))
	var mains sync.WaitGroup
	for i := range pod.Spec.Containers {
		mains.Add(1)
		go func() {
			defer mains.Done()
			codes[i], killed[i] = w.runContainer(w.ctx, pod, &pod.Spec.Containers[i], kindMain, volumes, nil)
		}()
	}
	mains.Wait()
	// Sidecars are stopped once the main containers are done, as the kubelet does.
	stopSidecars()
	sidecars.Wait()
	phase := corev1.PodSucceeded
	for i := range codes {
		if killed[i] {
			w.finishCanceled()
			return
		}
		if codes[i] != 0 {
			phase = corev1.PodFailed
		}
	}
	w.finish(phase, "", "")
}

// runContainer runs c until it exits for good, restarting it as the restart policy says.
// It returns the last exit code, and killed=true if the pod was killed meanwhile.
func (w *podWorker) runContainer(ctx context.Context, pod *corev1.Pod, c *corev1.Container, kind containerKind,
	volumes map[string]podVolume, started chan struct{}) (int32, bool) {
	var once sync.Once
	signalStarted := func() {
		if started != nil {
			once.Do(func() { close(started) })
		}
	}
	defer signalStarted()
	for attempt := 0; ; {
		if ctx.Err() != nil {
			return -1, true
		}
		box, reason, err := w.buildSandbox(ctx, w.currentPod(), c, volumes)
		if err != nil {
			w.update(func(s *podStatus) { s.waiting(c.Name, reason, err.Error()) })
			w.flush()
			if !sleepCtx(ctx, 2*time.Second) {
				return -1, true
			}
			continue
		}
		code, killed := w.exec(ctx, c, box, signalStarted)
		if killed {
			return code, true
		}
		if !shouldRestart(pod.Spec.RestartPolicy, kind, code) {
			return code, false
		}
		attempt++
		delay := min(time.Second<<(attempt-1), 10*time.Second) // kubelet starts at 10s; tests are impatient
		w.update(func(s *podStatus) { s.backOff(c.Name, pod.Name, delay) })
		w.flush()
		w.logf("container %s exited with %d, restarting in %s", c.Name, code, delay)
		if !sleepCtx(ctx, delay) {
			return code, true
		}
	}
}

func shouldRestart(policy corev1.RestartPolicy, kind containerKind, code int32) bool {
	switch {
	case kind == kindSidecar:
		return true
	case policy == corev1.RestartPolicyAlways && kind == kindMain:
		return true
	case policy == corev1.RestartPolicyNever:
		return false
	default: // OnFailure, or Always for init containers
		return code != 0
	}
}

func isSidecar(c *corev1.Container) bool {
	return c.RestartPolicy != nil && *c.RestartPolicy == corev1.ContainerRestartPolicyAlways
}

// finish sets the pod's terminal phase and reports it; containers that never ran are
// marked terminated, as the kubelet does for terminal pods.
func (w *podWorker) finish(phase corev1.PodPhase, reason, message string) {
	w.update(func(s *podStatus) { s.end(phase, reason, message) })
	w.flush()
	w.logf("finished: %s %s", phase, reason)
}

// finishCanceled reports a pod whose processes were killed.
func (w *podWorker) finishCanceled() {
	cause := context.Cause(w.ctx)
	switch {
	case errors.Is(cause, errShutdown):
		w.logf("killed: %v", cause)
	case errors.Is(cause, errDeadline):
		w.finish(corev1.PodFailed, "DeadlineExceeded", "Pod was active on the node longer than the specified deadline")
	default: // deleted: the phase follows from how the containers ended
		w.mu.Lock()
		phase := w.st.phaseFromContainers()
		w.mu.Unlock()
		w.finish(phase, "", "")
	}
}

func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
