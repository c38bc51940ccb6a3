package executor

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/tools/cache"
)

// PersistentVolumeClaims: each claim a pod mounts is backed by the folder
// <VolumesDir>/<namespace>_<claim>/, created on first use and kept until the claim is
// deleted, so the next pod sees what an earlier one wrote.
//
// The bed has no storage provisioner, so the executor plays one: a claim that waits for a
// volume gets a PersistentVolume pre-bound to it (claimRef with the claim's UID, capacity as
// requested, a hostPath on its folder), and the PV controller binds the two as it does for
// any provisioned volume. Setting the claim's status to Bound would not do: the scheduler
// places a pod only once its claims name an existing volume and carry the PV controller's
// bind-completed annotation.

const (
	// provisionerName marks the volumes the executor provisioned (the annotation external
	// provisioners set).
	provisionerName = "schemagate.io/testbed"
	// claimResync retries provisioning that failed, e.g. while the apiserver restarted.
	claimResync = 30 * time.Second
)

// claimDir is the folder backing a claim, whichever volume it is bound to.
func (e *Executor) claimDir(namespace, claim string) string {
	return filepath.Join(e.cfg.VolumesDir, namespace+"_"+claim)
}

// claimVolume resolves a persistentVolumeClaim volume of the worker's pod to its claim's
// folder, world-writable like an emptyDir. A claim that is missing or not bound yet is an
// error the pod waits on, as for a missing Secret.
func (w *podWorker) claimVolume(src *corev1.PersistentVolumeClaimVolumeSource) (podVolume, error) {
	claim, err := w.e.cfg.Client.CoreV1().PersistentVolumeClaims(w.ns).Get(w.ctx, src.ClaimName, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return podVolume{}, fmt.Errorf("persistentvolumeclaim %q not found", src.ClaimName)
	}
	if err != nil {
		return podVolume{}, err
	}
	if claim.Status.Phase != corev1.ClaimBound {
		return podVolume{}, fmt.Errorf("persistentvolumeclaim %q is not bound", src.ClaimName)
	}
	dir := w.e.claimDir(w.ns, src.ClaimName)
	if err := worldWritableDir(dir); err != nil {
		return podVolume{}, err
	}
	return podVolume{dir: dir, readOnly: src.ReadOnly || readOnlyClaim(claim)}, nil
}

// readOnlyClaim: a claim that asks for ReadOnlyMany access only is mounted read-only.
func readOnlyClaim(claim *corev1.PersistentVolumeClaim) bool {
	for _, m := range claim.Spec.AccessModes {
		if m != corev1.ReadOnlyMany {
			return false
		}
	}
	return len(claim.Spec.AccessModes) > 0
}

// watchClaims provisions volumes for the claims of all namespaces, and deletes a claim's
// volume and folder with the claim.
func (e *Executor) watchClaims(ctx context.Context) error {
	factory := informers.NewSharedInformerFactory(e.cfg.Client, claimResync)
	inf := factory.Core().V1().PersistentVolumeClaims().Informer()
	if _, err := inf.AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc:    e.onClaim,
		UpdateFunc: func(_, obj any) { e.onClaim(obj) },
		DeleteFunc: e.onClaimDeleted,
	}); err != nil {
		return err
	}
	factory.Start(e.ctx.Done())
	if !cache.WaitForCacheSync(ctx.Done(), inf.HasSynced) {
		return errors.New("claim informer did not sync")
	}
	return nil
}

func (e *Executor) onClaim(obj any) {
	claim, ok := obj.(*corev1.PersistentVolumeClaim)
	if !ok || !waitsForVolume(claim) {
		return
	}
	if err := e.provisionVolume(claim); err != nil {
		e.cfg.Logf("claim %s/%s: provisioning a volume failed (retried): %v", claim.Namespace, claim.Name, err)
	}
}

// waitsForVolume: claims that want a particular volume (volumeName, selector) are left to
// whoever creates it; block volumes cannot be folders.
func waitsForVolume(claim *corev1.PersistentVolumeClaim) bool {
	return claim.Spec.VolumeName == "" && claim.Spec.Selector == nil && claim.DeletionTimestamp == nil &&
		(claim.Spec.VolumeMode == nil || *claim.Spec.VolumeMode == corev1.PersistentVolumeFilesystem)
}

func (e *Executor) provisionVolume(claim *corev1.PersistentVolumeClaim) error {
	ctx, cancel := context.WithTimeout(e.ctx, 10*time.Second)
	defer cancel()
	pv := volumeForClaim(claim, e.claimDir(claim.Namespace, claim.Name))
	_, err := e.cfg.Client.CoreV1().PersistentVolumes().Create(ctx, pv, metav1.CreateOptions{})
	if apierrors.IsAlreadyExists(err) {
		return nil
	}
	if err == nil {
		e.cfg.Logf("claim %s/%s: provisioned volume %s", claim.Namespace, claim.Name, pv.Name)
	}
	return err
}

// volumeName is what in-tree dynamic provisioning names a claim's volume.
func volumeName(claim *corev1.PersistentVolumeClaim) string { return "pvc-" + string(claim.UID) }

// volumeForClaim is a PersistentVolume pre-bound to claim and matching it (class, access
// modes, size, mode), on dir. Its reclaim policy is Delete, which onClaimDeleted carries out.
func volumeForClaim(claim *corev1.PersistentVolumeClaim, dir string) *corev1.PersistentVolume {
	class := ""
	if claim.Spec.StorageClassName != nil {
		class = *claim.Spec.StorageClassName
	}
	return &corev1.PersistentVolume{
		ObjectMeta: metav1.ObjectMeta{
			Name:        volumeName(claim),
			Annotations: map[string]string{"pv.kubernetes.io/provisioned-by": provisionerName},
		},
		Spec: corev1.PersistentVolumeSpec{
			Capacity:                      corev1.ResourceList{corev1.ResourceStorage: claim.Spec.Resources.Requests[corev1.ResourceStorage]},
			AccessModes:                   claim.Spec.AccessModes,
			VolumeMode:                    claim.Spec.VolumeMode,
			StorageClassName:              class,
			PersistentVolumeReclaimPolicy: corev1.PersistentVolumeReclaimDelete,
			ClaimRef: &corev1.ObjectReference{Kind: "PersistentVolumeClaim", APIVersion: "v1",
				Namespace: claim.Namespace, Name: claim.Name, UID: claim.UID},
			PersistentVolumeSource: corev1.PersistentVolumeSource{HostPath: &corev1.HostPathVolumeSource{
				Path: dir, Type: ptr(corev1.HostPathDirectoryOrCreate)}},
		},
	}
}

// onClaimDeleted deletes the claim's volume and its files: a new claim of the same name
// starts empty, as with dynamic provisioning.
func (e *Executor) onClaimDeleted(obj any) {
	if tomb, ok := obj.(cache.DeletedFinalStateUnknown); ok {
		obj = tomb.Obj
	}
	claim, ok := obj.(*corev1.PersistentVolumeClaim)
	if !ok {
		return
	}
	ctx, cancel := context.WithTimeout(e.ctx, 10*time.Second)
	defer cancel()
	err := e.cfg.Client.CoreV1().PersistentVolumes().Delete(ctx, volumeName(claim), metav1.DeleteOptions{})
	if err != nil && !apierrors.IsNotFound(err) {
		e.cfg.Logf("claim %s/%s: deleting volume %s failed: %v", claim.Namespace, claim.Name, volumeName(claim), err)
	}
	if err := os.RemoveAll(e.claimDir(claim.Namespace, claim.Name)); err != nil {
		e.cfg.Logf("claim %s/%s: %v", claim.Namespace, claim.Name, err)
	}
}
