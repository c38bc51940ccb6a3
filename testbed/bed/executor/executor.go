// Package executor plays kubelet for the pods of Jobs on the bed's node: it resolves their
// environment and volumes, runs their containers in bubblewrap sandboxes on the host, and
// reports their status, so a Job's work is really done (against the bed's PostgreSQL)
// instead of being faked. KWOK is configured to leave these pods alone.
package executor

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/cache"
)

type Config struct {
	Client   kubernetes.Interface
	NodeName string
	// PodsDir holds one directory per pod: <ns>_<name>/{<container>.log, volumes/...}.
	PodsDir string
	// VolumesDir holds one directory per PersistentVolumeClaim, <ns>_<claim>, kept across
	// pods (see claims.go).
	VolumesDir string
	// ImageStore is where tests put image root directories, <ref with / : @ replaced by _>.
	ImageStore string
	// Images maps image refs to root directories explicitly (bed up --image REF=DIR).
	Images map[string]string
	// Start starts a child process so that it dies with the bed (see the Supervisor).
	Start func(*exec.Cmd) error
	// The apiserver as seen from a pod: KUBERNETES_SERVICE_HOST/PORT point here, so
	// in-cluster clients in a pod reach the real apiserver.
	APIServerHost string
	APIServerPort int
	Logf          func(format string, args ...any)
}

type Executor struct {
	cfg     Config
	bwrap   string
	selfExe string
	ctx     context.Context
	cancel  context.CancelFunc

	mu      sync.Mutex
	stopped bool
	workers map[types.UID]*podWorker
	byName  map[string]*podWorker // "<ns>/<name>" -> newest worker, for logs
	wg      sync.WaitGroup
}

func New(cfg Config) *Executor {
	if cfg.Logf == nil {
		cfg.Logf = func(string, ...any) {}
	}
	return &Executor{cfg: cfg, workers: map[types.UID]*podWorker{}, byName: map[string]*podWorker{}}
}

// Start watches the Job pods bound to the node, and the claims to provision volumes for; it
// returns once the informers have synced.
func (e *Executor) Start(ctx context.Context) error {
	var err error
	if e.bwrap, err = exec.LookPath("bwrap"); err != nil {
		return fmt.Errorf("bubblewrap (bwrap) is needed to run Job pods: %w", err)
	}
	if e.selfExe, err = os.Executable(); err != nil {
		return err
	}
	for _, dir := range []string{e.cfg.PodsDir, e.cfg.VolumesDir} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	e.ctx, e.cancel = context.WithCancel(context.Background())
	if err := e.watchClaims(ctx); err != nil {
		return err
	}
	factory := informers.NewSharedInformerFactoryWithOptions(e.cfg.Client, 0,
		informers.WithTweakListOptions(func(o *metav1.ListOptions) {
			o.FieldSelector = "spec.nodeName=" + e.cfg.NodeName
			o.LabelSelector = batchv1.JobNameLabel // exists
		}))
	inf := factory.Core().V1().Pods().Informer()
	if _, err := inf.AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc:    func(obj any) { e.onPod(obj) },
		UpdateFunc: func(_, obj any) { e.onPod(obj) },
		DeleteFunc: e.onDelete,
	}); err != nil {
		return err
	}
	factory.Start(e.ctx.Done())
	if !cache.WaitForCacheSync(ctx.Done(), inf.HasSynced) {
		return fmt.Errorf("pod informer did not sync")
	}
	return nil
}

func (e *Executor) onPod(obj any) {
	pod, ok := obj.(*corev1.Pod)
	if !ok {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.stopped {
		return
	}
	if w := e.workers[pod.UID]; w != nil {
		w.observe(pod)
		return
	}
	if pod.Status.Phase == corev1.PodSucceeded || pod.Status.Phase == corev1.PodFailed {
		return
	}
	w := newPodWorker(e, pod)
	e.workers[pod.UID] = w
	e.byName[w.key] = w
	e.wg.Add(1)
	go func() {
		defer e.wg.Done()
		w.run()
	}()
}

func (e *Executor) onDelete(obj any) {
	if tomb, ok := obj.(cache.DeletedFinalStateUnknown); ok {
		obj = tomb.Obj
	}
	pod, ok := obj.(*corev1.Pod)
	if !ok {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	w := e.workers[pod.UID]
	if w == nil {
		return
	}
	w.gone()
	delete(e.workers, pod.UID)
	if e.byName[w.key] == w {
		delete(e.byName, w.key)
	}
}

// Stop kills every pod's processes and waits (bounded) until they are gone. Pod status is
// not updated any more: the control plane is going down too.
func (e *Executor) Stop(timeout time.Duration) {
	e.mu.Lock()
	e.stopped = true
	for _, w := range e.workers {
		w.kill(errShutdown)
	}
	e.mu.Unlock()
	if e.cancel != nil {
		e.cancel()
	}
	done := make(chan struct{})
	go func() {
		e.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(timeout):
		e.cfg.Logf("executor: pods did not stop within %s", timeout)
	}
}

// LogFile locates a container's log for the kubelet API: ok is false for pods the executor
// does not run; running tells a follower whether more output may come.
func (e *Executor) LogFile(namespace, pod, container string, previous bool) (path string, running, ok bool) {
	e.mu.Lock()
	w := e.byName[namespace+"/"+pod]
	e.mu.Unlock()
	if w == nil || !w.hasContainer(container) {
		return "", false, false
	}
	return w.logPath(container, previous), w.isRunning(container), true
}
