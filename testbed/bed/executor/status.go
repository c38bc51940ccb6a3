package executor

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/util/retry"
)

const podIP = "127.0.0.1" // pods share the host network: 127.0.0.1 reaches PostgreSQL

// podStatus is the executor's model of a pod's status; apply writes it onto the API object,
// leaving fields others own (PodScheduled, DisruptionTarget, qosClass, ...) alone.
type podStatus struct {
	phase           corev1.PodPhase
	reason, message string
	startTime       *metav1.Time
	sandboxReady    bool
	init, main      []corev1.ContainerStatus
	sidecars        map[string]bool
	conditions      map[corev1.PodConditionType]corev1.PodCondition
}

func newPodStatus(pod *corev1.Pod) *podStatus {
	s := &podStatus{phase: corev1.PodPending, sidecars: map[string]bool{},
		conditions: map[corev1.PodConditionType]corev1.PodCondition{}}
	for _, c := range pod.Spec.InitContainers {
		s.init = append(s.init, corev1.ContainerStatus{Name: c.Name, Image: c.Image,
			State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "PodInitializing"}}})
		if isSidecar(&c) {
			s.sidecars[c.Name] = true
		}
	}
	waiting := "ContainerCreating"
	if len(pod.Spec.InitContainers) > 0 {
		waiting = "PodInitializing"
	}
	for _, c := range pod.Spec.Containers {
		s.main = append(s.main, corev1.ContainerStatus{Name: c.Name, Image: c.Image,
			State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: waiting}}})
	}
	return s
}

func (s *podStatus) container(name string) *corev1.ContainerStatus {
	for i := range s.init {
		if s.init[i].Name == name {
			return &s.init[i]
		}
	}
	for i := range s.main {
		if s.main[i].Name == name {
			return &s.main[i]
		}
	}
	return nil
}

func (s *podStatus) isInit(name string) bool {
	for _, c := range s.init {
		if c.Name == name {
			return !s.sidecars[name]
		}
	}
	return false
}

func (s *podStatus) isMain(name string) bool {
	for _, c := range s.main {
		if c.Name == name {
			return true
		}
	}
	return false
}

func (s *podStatus) begin() {
	now := metav1.Now()
	s.startTime = &now
}

func (s *podStatus) waiting(name, reason, message string) {
	cs := s.container(name)
	cs.State = corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: reason, Message: message}}
	cs.Ready, cs.Started = false, ptr(false)
}

func (s *podStatus) started(name string, pid int, img *image, at metav1.Time) {
	cs := s.container(name)
	cs.State = corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: at}}
	cs.ContainerID = fmt.Sprintf("bed://%d", pid)
	cs.ImageID = img.id
	cs.Started = ptr(true)
	// No probes: a running main or sidecar container is ready; init containers are not.
	cs.Ready = !s.isInit(name)
	// Like the kubelet: Pending while init containers (and sidecars) start, Running once a
	// main container runs.
	if s.phase == corev1.PodPending && s.isMain(name) {
		s.phase = corev1.PodRunning
	}
}

func (s *podStatus) terminated(name string, code int32, message string, startedAt, finishedAt metav1.Time) {
	cs := s.container(name)
	reason := "Completed"
	if code != 0 {
		reason = "Error"
	}
	cs.State = corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{
		ExitCode: code, Reason: reason, Message: message, StartedAt: startedAt, FinishedAt: finishedAt,
		ContainerID: cs.ContainerID,
	}}
	cs.Started = ptr(false)
	cs.Ready = s.isInit(name) && code == 0 // a completed init container counts as ready
}

func (s *podStatus) setReason(name, reason string) {
	if t := s.container(name).State.Terminated; t != nil {
		t.Reason = reason
	}
}

// backOff records a restart: the last run moves to lastState, as the kubelet shows it.
func (s *podStatus) backOff(name, pod string, delay time.Duration) {
	cs := s.container(name)
	cs.LastTerminationState = cs.State
	cs.RestartCount++
	cs.State = corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{
		Reason:  "CrashLoopBackOff",
		Message: fmt.Sprintf("back-off %s restarting failed container=%s pod=%s", delay, name, pod),
	}}
	cs.Ready, cs.Started = false, ptr(false)
}

// end sets a terminal phase. Containers that never ran get a terminated state, as the
// kubelet reports them for terminal pods.
func (s *podStatus) end(phase corev1.PodPhase, reason, message string) {
	s.phase, s.reason, s.message = phase, reason, message
	now := metav1.Now()
	for _, list := range [][]corev1.ContainerStatus{s.init, s.main} {
		for i := range list {
			cs := &list[i]
			if cs.State.Terminated == nil {
				cs.State = corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{
					ExitCode: 137, Reason: "ContainerStatusUnknown", FinishedAt: now,
					Message: "The container could not be located when the pod was terminated",
				}}
			}
			cs.Ready, cs.Started = false, ptr(false)
		}
	}
}

// phaseFromContainers is the phase of a pod whose containers were stopped: Succeeded only
// if every main container had already completed successfully.
func (s *podStatus) phaseFromContainers() corev1.PodPhase {
	for _, cs := range s.main {
		if t := cs.State.Terminated; t == nil || t.ExitCode != 0 {
			return corev1.PodFailed
		}
	}
	return corev1.PodSucceeded
}

func (s *podStatus) setCondition(t corev1.PodConditionType, ok bool, reason, message string) {
	status := corev1.ConditionFalse
	if ok {
		status = corev1.ConditionTrue
		reason, message = "", ""
	}
	c := s.conditions[t]
	if c.Status != status {
		c.LastTransitionTime = metav1.Now()
	}
	c.Type, c.Status, c.Reason, c.Message = t, status, reason, message
	s.conditions[t] = c
}

func (s *podStatus) updateConditions() {
	terminal := s.phase == corev1.PodSucceeded || s.phase == corev1.PodFailed
	s.setCondition(corev1.PodReadyToStartContainers, s.sandboxReady && !terminal, "", "")

	var incomplete, unready []string
	for _, cs := range s.init {
		if s.sidecars[cs.Name] {
			if cs.State.Running == nil && !terminal {
				incomplete = append(incomplete, cs.Name)
			}
		} else if t := cs.State.Terminated; t == nil || t.ExitCode != 0 {
			incomplete = append(incomplete, cs.Name)
		}
	}
	s.setCondition(corev1.PodInitialized, len(incomplete) == 0, "ContainersNotInitialized",
		fmt.Sprintf("containers with incomplete status: [%s]", strings.Join(incomplete, " ")))

	for _, list := range [][]corev1.ContainerStatus{s.init, s.main} {
		for _, cs := range list {
			if (s.sidecars[cs.Name] || !s.isInit(cs.Name)) && !cs.Ready {
				unready = append(unready, cs.Name)
			}
		}
	}
	reason := "ContainersNotReady"
	if terminal {
		reason = "PodCompleted"
	}
	msg := fmt.Sprintf("containers with unready status: [%s]", strings.Join(unready, " "))
	s.setCondition(corev1.ContainersReady, len(unready) == 0, reason, msg)
	s.setCondition(corev1.PodReady, len(unready) == 0, reason, msg)
}

// apply writes the model onto an API pod status.
func (s *podStatus) apply(st *corev1.PodStatus) {
	s.updateConditions()
	st.Phase, st.Reason, st.Message = s.phase, s.reason, s.message
	st.HostIP, st.PodIP = podIP, podIP
	st.HostIPs = []corev1.HostIP{{IP: podIP}}
	st.PodIPs = []corev1.PodIP{{IP: podIP}}
	st.StartTime = s.startTime
	st.InitContainerStatuses = append([]corev1.ContainerStatus(nil), s.init...)
	st.ContainerStatuses = append([]corev1.ContainerStatus(nil), s.main...)
	var conds []corev1.PodCondition
	for _, c := range st.Conditions {
		if _, ours := s.conditions[c.Type]; !ours {
			conds = append(conds, c)
		}
	}
	for _, t := range []corev1.PodConditionType{corev1.PodReadyToStartContainers, corev1.PodInitialized,
		corev1.ContainersReady, corev1.PodReady} {
		conds = append(conds, s.conditions[t])
	}
	st.Conditions = conds
}

// statusBackoff retries a failed status update for about 20s: besides conflicts (the Job
// controller patches the same pods), requests fail while the apiserver restarts (`bed
// apiserver restart`), and a lost terminal status would leave the pod's Job running forever.
var statusBackoff = wait.Backoff{Duration: 100 * time.Millisecond, Factor: 2, Steps: 10, Cap: 5 * time.Second}

// flush writes the current status to the API server, the way the kubelet's status manager
// does: read, modify, UpdateStatus, retrying on errors (see statusBackoff) except on a
// status the apiserver rejects.
func (w *podWorker) flush() {
	w.flushMu.Lock()
	defer w.flushMu.Unlock()
	w.mu.Lock()
	removed := w.removed
	w.mu.Unlock()
	if removed || errors.Is(context.Cause(w.ctx), errShutdown) {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	pods := w.e.cfg.Client.CoreV1().Pods(w.ns)
	err := retry.OnError(statusBackoff, func(err error) bool { return !apierrors.IsInvalid(err) }, func() error {
		cur, err := pods.Get(ctx, w.name, metav1.GetOptions{})
		if apierrors.IsNotFound(err) || err == nil && cur.UID != w.uid {
			w.mu.Lock()
			w.removed = true
			w.mu.Unlock()
			return nil
		}
		if err != nil {
			return err
		}
		if cur.Status.Phase == corev1.PodSucceeded || cur.Status.Phase == corev1.PodFailed {
			return nil // a terminal phase is final
		}
		w.mu.Lock()
		w.st.apply(&cur.Status)
		w.mu.Unlock()
		_, err = pods.UpdateStatus(ctx, cur, metav1.UpdateOptions{})
		return err
	})
	if err != nil {
		w.logf("status update failed: %v", err)
	}
}

func ptr[T any](v T) *T { return &v }
