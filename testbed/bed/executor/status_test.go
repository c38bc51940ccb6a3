package executor

import (
	"context"
	"errors"
	"syscall"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"
)

// While the apiserver restarts, status updates fail; the pod's final status must still
// arrive, or its Job would never finish.
func TestFlushRetriesWhileTheAPIServerIsAway(t *testing.T) {
	pod := testPod()
	w := workerFor(t, pod, pod)
	client := w.e.cfg.Client.(*fake.Clientset)
	failures := 3
	client.PrependReactor("update", "pods", func(action k8stesting.Action) (bool, runtime.Object, error) {
		if action.GetSubresource() != "status" || failures == 0 {
			return false, nil, nil
		}
		failures--
		return true, nil, errors.Join(errors.New("dial tcp 127.0.0.1:6443"), syscall.ECONNREFUSED)
	})

	w.update(func(s *podStatus) { s.end(corev1.PodSucceeded, "", "") })
	w.flush()

	got, err := client.CoreV1().Pods("ns").Get(context.Background(), pod.Name, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got.Status.Phase != corev1.PodSucceeded {
		t.Errorf("phase %q after the apiserver came back, want Succeeded", got.Status.Phase)
	}
}
