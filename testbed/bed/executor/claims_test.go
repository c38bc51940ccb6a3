package executor

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes/fake"
)

func claim(name string, phase corev1.PersistentVolumeClaimPhase, modes ...corev1.PersistentVolumeAccessMode) *corev1.PersistentVolumeClaim {
	return &corev1.PersistentVolumeClaim{
		ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: name, UID: types.UID("uid-" + name)},
		Spec: corev1.PersistentVolumeClaimSpec{AccessModes: modes,
			Resources: corev1.VolumeResourceRequirements{Requests: corev1.ResourceList{
				corev1.ResourceStorage: resource.MustParse("1Mi")}}},
		Status: corev1.PersistentVolumeClaimStatus{Phase: phase},
	}
}

// workerFor is a pod worker of an executor whose API server holds objects.
func workerFor(t *testing.T, pod *corev1.Pod, objects ...runtime.Object) *podWorker {
	t.Helper()
	e := New(Config{Client: fake.NewClientset(objects...), PodsDir: t.TempDir(), VolumesDir: t.TempDir()})
	e.ctx = context.Background()
	w := newPodWorker(e, pod)
	if err := os.MkdirAll(w.dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return w
}

func testPod(volumes ...corev1.Volume) *corev1.Pod {
	return &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "p", UID: "pod-uid"},
		Spec: corev1.PodSpec{Volumes: volumes}}
}

func claimVolumeSource(name, claimName string, readOnly bool) corev1.Volume {
	return corev1.Volume{Name: name, VolumeSource: corev1.VolumeSource{
		PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: claimName, ReadOnly: readOnly}}}
}

func TestBoundClaimIsItsFolderOutsideThePod(t *testing.T) {
	pod := testPod(
		claimVolumeSource("data", "data", false),
		claimVolumeSource("seen", "data", true),
		claimVolumeSource("reference", "reference", false),
		corev1.Volume{Name: "scratch", VolumeSource: corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}}},
	)
	w := workerFor(t, pod,
		claim("data", corev1.ClaimBound, corev1.ReadWriteOnce),
		claim("reference", corev1.ClaimBound, corev1.ReadOnlyMany))

	volumes, err := w.materializeVolumes(pod)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]podVolume{
		"data":      {dir: filepath.Join(w.e.cfg.VolumesDir, "ns_data")},
		"seen":      {dir: filepath.Join(w.e.cfg.VolumesDir, "ns_data"), readOnly: true},
		"reference": {dir: filepath.Join(w.e.cfg.VolumesDir, "ns_reference"), readOnly: true},
		"scratch":   {dir: filepath.Join(w.dir, "volumes", "scratch")},
	}
	for name, v := range want {
		if volumes[name] != v {
			t.Errorf("volume %s: got %+v, want %+v", name, volumes[name], v)
		}
	}
	info, err := os.Stat(want["data"].dir)
	if err != nil || info.Mode().Perm() != 0o777 {
		t.Errorf("claim folder: %v, %v; want a world-writable directory", info, err)
	}
}

// A second pod must find what the first one wrote: materializing a pod's volumes again
// starts its own volumes afresh, not its claims.
func TestClaimFolderKeepsItsFiles(t *testing.T) {
	pod := testPod(claimVolumeSource("data", "data", false))
	w := workerFor(t, pod, claim("data", corev1.ClaimBound, corev1.ReadWriteOnce))
	volumes, err := w.materializeVolumes(pod)
	if err != nil {
		t.Fatal(err)
	}
	written := filepath.Join(volumes["data"].dir, "greeting")
	if err := os.WriteFile(written, []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := w.materializeVolumes(pod); err != nil {
		t.Fatal(err)
	}
	if data, err := os.ReadFile(written); err != nil || string(data) != "hello" {
		t.Errorf("file in the claim after a second mount: %q, %v", data, err)
	}
}

func TestMissingOrUnboundClaimIsWaitedFor(t *testing.T) {
	for _, c := range []struct {
		objects []runtime.Object
		want    string
	}{
		{nil, `volume "data": persistentvolumeclaim "data" not found`},
		{[]runtime.Object{claim("data", corev1.ClaimPending, corev1.ReadWriteOnce)}, `persistentvolumeclaim "data" is not bound`},
	} {
		pod := testPod(claimVolumeSource("data", "data", false))
		_, err := workerFor(t, pod, c.objects...).materializeVolumes(pod)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("got %v, want an error with %q", err, c.want)
		}
	}
}

func TestVolumeForClaimIsPreBoundToItAndMatchesIt(t *testing.T) {
	c := claim("data", corev1.ClaimPending, corev1.ReadWriteOnce)
	c.Spec.StorageClassName = ptr("standard")
	pv := volumeForClaim(c, "/state/volumes/ns_data")

	if pv.Name != "pvc-uid-data" {
		t.Errorf("name %s", pv.Name)
	}
	if ref := pv.Spec.ClaimRef; ref == nil || ref.Namespace != "ns" || ref.Name != "data" || ref.UID != c.UID {
		t.Errorf("claimRef %+v", ref)
	}
	if got := pv.Spec.Capacity[corev1.ResourceStorage]; got.Cmp(resource.MustParse("1Mi")) != 0 {
		t.Errorf("capacity %s", got.String())
	}
	if pv.Spec.StorageClassName != "standard" || len(pv.Spec.AccessModes) != 1 || pv.Spec.AccessModes[0] != corev1.ReadWriteOnce {
		t.Errorf("class %q, access modes %v", pv.Spec.StorageClassName, pv.Spec.AccessModes)
	}
	if hp := pv.Spec.HostPath; hp == nil || hp.Path != "/state/volumes/ns_data" {
		t.Errorf("hostPath %+v", hp)
	}
}

func TestOnlyClaimsWithoutAChosenVolumeGetOne(t *testing.T) {
	block := corev1.PersistentVolumeBlock
	for name, change := range map[string]func(*corev1.PersistentVolumeClaim){
		"volumeName": func(c *corev1.PersistentVolumeClaim) { c.Spec.VolumeName = "mine" },
		"selector":   func(c *corev1.PersistentVolumeClaim) { c.Spec.Selector = &metav1.LabelSelector{} },
		"block":      func(c *corev1.PersistentVolumeClaim) { c.Spec.VolumeMode = &block },
		"deleted":    func(c *corev1.PersistentVolumeClaim) { c.DeletionTimestamp = &metav1.Time{} },
	} {
		c := claim("data", corev1.ClaimPending, corev1.ReadWriteOnce)
		change(c)
		if waitsForVolume(c) {
			t.Errorf("a claim with %s was given a volume", name)
		}
	}
	if !waitsForVolume(claim("data", corev1.ClaimPending, corev1.ReadWriteOnce)) {
		t.Error("a plain pending claim was given no volume")
	}
}

// Deleting a claim deletes its volume and files, so a new claim of the same name starts empty.
func TestDeletedClaimTakesItsVolumeAndFilesAlong(t *testing.T) {
	c := claim("data", corev1.ClaimPending, corev1.ReadWriteOnce)
	w := workerFor(t, testPod(), c)
	e := w.e
	if err := e.provisionVolume(c); err != nil {
		t.Fatal(err)
	}
	if err := e.provisionVolume(c); err != nil {
		t.Errorf("provisioning twice: %v", err)
	}
	dir := e.claimDir("ns", "data")
	if err := worldWritableDir(dir); err != nil {
		t.Fatal(err)
	}

	e.onClaimDeleted(c)
	if _, err := e.cfg.Client.CoreV1().PersistentVolumes().Get(context.Background(), "pvc-uid-data", metav1.GetOptions{}); err == nil {
		t.Error("the claim's volume is still there")
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("the claim's folder is still there: %v", err)
	}
}
