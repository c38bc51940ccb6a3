package executor

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"time"

	authenticationv1 "k8s.io/api/authentication/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

const defaultFileMode int32 = 0o644

type volumeFile struct {
	path string
	data []byte
	mode *int32
}

// podVolume is a pod volume as its containers mount it.
type podVolume struct {
	dir string
	// readOnly overrides the containers' mounts: the kubelet mounts configMap, secret,
	// downwardAPI and projected volumes read-only, and a claim or volume may ask for it.
	readOnly bool
}

// prepareVolumes materializes the pod's volumes under <pod dir>/volumes/<name> (claims: see
// claimVolume) and returns them. Missing Secrets/ConfigMaps/claims are waited for, as the
// kubelet does; volume types the bed cannot provide fail the pod.
func (w *podWorker) prepareVolumes(pod *corev1.Pod) (map[string]podVolume, error) {
	for _, v := range pod.Spec.Volumes {
		if err := supported(v); err != nil {
			return nil, err
		}
	}
	lastErr := ""
	for {
		dirs, err := w.materializeVolumes(pod)
		if err == nil {
			return dirs, nil
		}
		if msg := err.Error(); msg != lastErr {
			lastErr = msg
			w.logf("volumes not ready: %v", err)
			w.update(func(s *podStatus) {
				for _, list := range [][]corev1.ContainerStatus{s.init, s.main} {
					for i := range list {
						if list[i].State.Waiting != nil {
							list[i].State.Waiting.Message = "MountVolume.SetUp failed: " + msg
						}
					}
				}
			})
			w.flush()
		}
		if !sleepCtx(w.ctx, 2*time.Second) {
			return nil, w.ctx.Err()
		}
	}
}

func supported(v corev1.Volume) error {
	vs := v.VolumeSource
	switch {
	case vs.EmptyDir != nil, vs.ConfigMap != nil, vs.Secret != nil, vs.DownwardAPI != nil, vs.PersistentVolumeClaim != nil,
		vs.Image != nil:
		return nil
	case vs.Projected != nil:
		for _, s := range vs.Projected.Sources {
			if s.ClusterTrustBundle != nil || s.PodCertificate != nil {
				return fmt.Errorf("volume %q: clusterTrustBundle and podCertificate projections are not supported by the test bed", v.Name)
			}
		}
		return nil
	}
	return fmt.Errorf("volume %q: this volume type is not supported by the test bed (supported: emptyDir, configMap, secret, downwardAPI, projected, persistentVolumeClaim)", v.Name)
}

func (w *podWorker) materializeVolumes(pod *corev1.Pod) (map[string]podVolume, error) {
	root := filepath.Join(w.dir, "volumes")
	if err := os.RemoveAll(root); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, err
	}
	src := w.newSources(w.ctx)
	fsUser, fsGroup := volumeOwnership(pod)
	volumes := map[string]podVolume{}
	for _, v := range pod.Spec.Volumes {
		dir := filepath.Join(root, v.Name)
		vs := v.VolumeSource
		if vs.PersistentVolumeClaim != nil {
			claim, err := w.claimVolume(vs.PersistentVolumeClaim)
			if err != nil {
				return nil, fmt.Errorf("volume %q: %w", v.Name, err)
			}
			volumes[v.Name] = claim
			continue
		}
		if vs.Image != nil {
			// The kubelet mounts the image's file system read-only; nothing of the image runs.
			img, err := w.e.storedImage(vs.Image.Reference)
			if err != nil {
				return nil, fmt.Errorf("volume %q: %w", v.Name, err)
			}
			volumes[v.Name] = podVolume{dir: img.root, readOnly: true}
			continue
		}
		// Apart from an emptyDir, the volumes below hold content the bed writes: read-only.
		volumes[v.Name] = podVolume{dir: dir, readOnly: vs.EmptyDir == nil}
		var files []volumeFile
		var err error
		mode := ptr(defaultFileMode)
		tokenOwner := (*int64)(nil)
		switch {
		case vs.EmptyDir != nil:
			if err := worldWritableDir(dir); err != nil {
				return nil, err
			}
			continue
		case vs.ConfigMap != nil:
			files, err = src.configMapFiles(vs.ConfigMap.Name, vs.ConfigMap.Items, vs.ConfigMap.Optional)
			mode = orDefault(vs.ConfigMap.DefaultMode)
		case vs.Secret != nil:
			files, err = src.secretFiles(vs.Secret.SecretName, vs.Secret.Items, vs.Secret.Optional)
			mode = orDefault(vs.Secret.DefaultMode)
		case vs.DownwardAPI != nil:
			files, err = downwardFiles(pod, vs.DownwardAPI.Items)
			mode = orDefault(vs.DownwardAPI.DefaultMode)
		case vs.Projected != nil:
			files, err = w.projectedFiles(src, pod, vs.Projected.Sources)
			mode = orDefault(vs.Projected.DefaultMode)
			// The kubelet hands a service account token to the pod's user when all
			// containers run as the same non-root user and no fsGroup is set.
			if fsGroup == nil && hasToken(vs.Projected.Sources) {
				tokenOwner = fsUser
			}
		}
		if err != nil {
			return nil, fmt.Errorf("volume %q: %w", v.Name, err)
		}
		if err := writeVolume(dir, files, *mode, tokenOwner, fsGroup); err != nil {
			return nil, err
		}
	}
	return volumes, nil
}

// worldWritableDir makes dir writable for any runAsUser, as the kubelet's emptyDir is.
func worldWritableDir(dir string) error {
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return err
	}
	return os.Chmod(dir, 0o777)
}

func orDefault(mode *int32) *int32 {
	if mode == nil {
		return ptr(defaultFileMode)
	}
	return mode
}

func hasToken(sources []corev1.VolumeProjection) bool {
	for _, s := range sources {
		if s.ServiceAccountToken != nil {
			return true
		}
	}
	return false
}

// volumeOwnership returns the single non-root user all containers run as (if any) and
// the pod's fsGroup.
func volumeOwnership(pod *corev1.Pod) (user, group *int64) {
	if psc := pod.Spec.SecurityContext; psc != nil {
		group = psc.FSGroup
	}
	var uid *int64
	for _, list := range [][]corev1.Container{pod.Spec.InitContainers, pod.Spec.Containers} {
		for i := range list {
			u, _, _, err := runAs(pod, &list[i])
			if err != nil || u == nil || *u == 0 || uid != nil && *uid != *u {
				return nil, group
			}
			uid = u
		}
	}
	return uid, group
}

// writeVolume writes files (directories 0755) with their modes; with an fsGroup they get
// that group and group read access, as the kubelet's volume ownership management does.
func writeVolume(dir string, files []volumeFile, defaultMode int32, owner, fsGroup *int64) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, f := range files {
		path := filepath.Join(dir, filepath.Clean("/"+f.path))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		mode := defaultMode
		if f.mode != nil {
			mode = *f.mode
		}
		if err := os.WriteFile(path, f.data, 0o600); err != nil {
			return err
		}
		if err := os.Chmod(path, fs.FileMode(mode)&fs.ModePerm); err != nil {
			return err
		}
	}
	if owner == nil && fsGroup == nil {
		return nil
	}
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		uid, gid := -1, -1
		if owner != nil {
			uid = int(*owner)
		}
		if fsGroup != nil {
			gid = int(*fsGroup)
		}
		if err := os.Lchown(path, uid, gid); err != nil {
			return err
		}
		if fsGroup != nil {
			info, err := d.Info()
			if err != nil {
				return err
			}
			extra := fs.FileMode(0o440)
			if d.IsDir() {
				extra = 0o550 | fs.ModeSetgid
			}
			return os.Chmod(path, info.Mode()&(fs.ModePerm|fs.ModeSetgid)|extra)
		}
		return nil
	})
}

func (s *sources) configMapFiles(name string, items []corev1.KeyToPath, optional *bool) ([]volumeFile, error) {
	cm, err := s.configMap(name, optional)
	if err != nil || cm == nil {
		return nil, err
	}
	data := map[string][]byte{}
	for k, v := range cm.Data {
		data[k] = []byte(v)
	}
	for k, v := range cm.BinaryData {
		data[k] = v
	}
	return keyFiles(data, items, optional, "configmap references non-existent config key: %s")
}

func (s *sources) secretFiles(name string, items []corev1.KeyToPath, optional *bool) ([]volumeFile, error) {
	sec, err := s.secret(name, optional)
	if err != nil || sec == nil {
		return nil, err
	}
	return keyFiles(sec.Data, items, optional, "references non-existent secret key: %s")
}

// keyFiles maps keys to files: all keys by their names, or the selected items.
func keyFiles(data map[string][]byte, items []corev1.KeyToPath, optional *bool, missing string) ([]volumeFile, error) {
	var files []volumeFile
	if len(items) == 0 {
		keys := make([]string, 0, len(data))
		for k := range data {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			files = append(files, volumeFile{path: k, data: data[k]})
		}
		return files, nil
	}
	for _, it := range items {
		v, ok := data[it.Key]
		if !ok {
			if optional != nil && *optional {
				continue
			}
			return nil, &configError{fmt.Sprintf(missing, it.Key)}
		}
		files = append(files, volumeFile{path: it.Path, data: v, mode: it.Mode})
	}
	return files, nil
}

func downwardFiles(pod *corev1.Pod, items []corev1.DownwardAPIVolumeFile) ([]volumeFile, error) {
	var files []volumeFile
	for _, it := range items {
		var v string
		var err error
		switch {
		case it.FieldRef != nil:
			v, err = fieldValue(pod, it.FieldRef.FieldPath)
		case it.ResourceFieldRef != nil:
			v, err = resourceValue(pod, nil, it.ResourceFieldRef)
		}
		if err != nil {
			return nil, err
		}
		files = append(files, volumeFile{path: it.Path, data: []byte(v), mode: it.Mode})
	}
	return files, nil
}

func (w *podWorker) projectedFiles(src *sources, pod *corev1.Pod, sources []corev1.VolumeProjection) ([]volumeFile, error) {
	var files []volumeFile
	for _, s := range sources {
		var more []volumeFile
		var err error
		switch {
		case s.ConfigMap != nil:
			more, err = src.configMapFiles(s.ConfigMap.Name, s.ConfigMap.Items, s.ConfigMap.Optional)
		case s.Secret != nil:
			more, err = src.secretFiles(s.Secret.Name, s.Secret.Items, s.Secret.Optional)
		case s.DownwardAPI != nil:
			more, err = downwardFiles(pod, s.DownwardAPI.Items)
		case s.ServiceAccountToken != nil:
			var token string
			token, err = w.serviceAccountToken(src.ctx, pod, s.ServiceAccountToken)
			more = []volumeFile{{path: s.ServiceAccountToken.Path, data: []byte(token)}}
		}
		if err != nil {
			return nil, err
		}
		files = append(files, more...)
	}
	return files, nil
}

// serviceAccountToken gets a pod-bound token through the TokenRequest API, as the kubelet
// does. It is not refreshed: Job pods in tests are short-lived and the default token
// (3607s) is extended to a year by the apiserver.
func (w *podWorker) serviceAccountToken(ctx context.Context, pod *corev1.Pod, p *corev1.ServiceAccountTokenProjection) (string, error) {
	sa := pod.Spec.ServiceAccountName
	if sa == "" {
		sa = "default"
	}
	exp := int64(3600)
	if p.ExpirationSeconds != nil {
		exp = *p.ExpirationSeconds
	}
	req := &authenticationv1.TokenRequest{Spec: authenticationv1.TokenRequestSpec{
		ExpirationSeconds: &exp,
		BoundObjectRef:    &authenticationv1.BoundObjectReference{Kind: "Pod", APIVersion: "v1", Name: pod.Name, UID: pod.UID},
	}}
	if p.Audience != "" {
		req.Spec.Audiences = []string{p.Audience}
	}
	tr, err := w.e.cfg.Client.CoreV1().ServiceAccounts(pod.Namespace).CreateToken(ctx, sa, req, metav1.CreateOptions{})
	if err != nil {
		return "", fmt.Errorf("token for service account %s/%s: %w", pod.Namespace, sa, err)
	}
	return tr.Status.Token, nil
}
