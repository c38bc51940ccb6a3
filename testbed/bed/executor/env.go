package executor

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

const defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// configError is a missing Secret/ConfigMap/key: the container waits with
// CreateContainerConfigError until it appears, as with a kubelet.
type configError struct{ msg string }

func (e *configError) Error() string { return e.msg }

// sources fetches the Secrets and ConfigMaps a container refers to, once per attempt.
type sources struct {
	ctx        context.Context
	w          *podWorker
	configMaps map[string]*corev1.ConfigMap
	secrets    map[string]*corev1.Secret
}

func (w *podWorker) newSources(ctx context.Context) *sources {
	return &sources{ctx: ctx, w: w, configMaps: map[string]*corev1.ConfigMap{}, secrets: map[string]*corev1.Secret{}}
}

// configMap returns the ConfigMap, nil if it does not exist and optional is set.
func (s *sources) configMap(name string, optional *bool) (*corev1.ConfigMap, error) {
	if cm, ok := s.configMaps[name]; ok {
		return cm, nil
	}
	cm, err := s.w.e.cfg.Client.CoreV1().ConfigMaps(s.w.ns).Get(s.ctx, name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		if optional != nil && *optional {
			s.configMaps[name] = nil
			return nil, nil
		}
		return nil, &configError{fmt.Sprintf("configmap %q not found", name)}
	}
	if err != nil {
		return nil, err
	}
	s.configMaps[name] = cm
	return cm, nil
}

func (s *sources) secret(name string, optional *bool) (*corev1.Secret, error) {
	if sec, ok := s.secrets[name]; ok {
		return sec, nil
	}
	sec, err := s.w.e.cfg.Client.CoreV1().Secrets(s.w.ns).Get(s.ctx, name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		if optional != nil && *optional {
			s.secrets[name] = nil
			return nil, nil
		}
		return nil, &configError{fmt.Sprintf("secret %q not found", name)}
	}
	if err != nil {
		return nil, err
	}
	s.secrets[name] = sec
	return sec, nil
}

// envList is an ordered environment in which later definitions replace earlier ones.
type envList struct {
	names  []string
	values map[string]string
}

func newEnvList() *envList { return &envList{values: map[string]string{}} }

func (l *envList) set(name, value string) {
	if _, ok := l.values[name]; !ok {
		l.names = append(l.names, name)
	}
	l.values[name] = value
}

func (l *envList) lookup(name string) (string, bool) {
	v, ok := l.values[name]
	return v, ok
}

func (l *envList) environ() []string {
	out := make([]string, 0, len(l.names))
	for _, n := range l.names {
		out = append(out, n+"="+l.values[n])
	}
	return out
}

// containerEnv builds a container's environment like kubelet + runtime: image env, the
// kubernetes service variables, envFrom, env (with $(VAR) expansion), then PATH, HOME and
// HOSTNAME defaults.
func (w *podWorker) containerEnv(src *sources, pod *corev1.Pod, c *corev1.Container, img *image) (*envList, error) {
	env := newEnvList()
	for _, kv := range img.config.Env {
		if k, v, ok := strings.Cut(kv, "="); ok {
			env.set(k, v)
		}
	}
	host, port := w.e.cfg.APIServerHost, strconv.Itoa(w.e.cfg.APIServerPort)
	env.set("KUBERNETES_SERVICE_HOST", host)
	env.set("KUBERNETES_SERVICE_PORT", port)
	env.set("KUBERNETES_SERVICE_PORT_HTTPS", port)
	env.set("KUBERNETES_PORT", "tcp://"+host+":"+port)
	env.set("KUBERNETES_PORT_443_TCP", "tcp://"+host+":"+port)
	env.set("KUBERNETES_PORT_443_TCP_PROTO", "tcp")
	env.set("KUBERNETES_PORT_443_TCP_PORT", port)
	env.set("KUBERNETES_PORT_443_TCP_ADDR", host)

	for _, from := range c.EnvFrom {
		var data map[string]string
		switch {
		case from.ConfigMapRef != nil:
			cm, err := src.configMap(from.ConfigMapRef.Name, from.ConfigMapRef.Optional)
			if err != nil {
				return nil, err
			}
			if cm != nil {
				data = cm.Data
			}
		case from.SecretRef != nil:
			sec, err := src.secret(from.SecretRef.Name, from.SecretRef.Optional)
			if err != nil {
				return nil, err
			}
			if sec != nil {
				data = map[string]string{}
				for k, v := range sec.Data {
					data[k] = string(v)
				}
			}
		}
		keys := make([]string, 0, len(data))
		for k := range data {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			env.set(from.Prefix+k, data[k])
		}
	}

	for _, e := range c.Env {
		value := e.Value
		if e.ValueFrom == nil {
			value = expand(value, env.lookup)
		} else {
			v, ok, err := w.envValueFrom(src, pod, c, e.ValueFrom)
			if err != nil {
				return nil, err
			}
			if !ok {
				continue // optional reference that does not exist
			}
			value = v
		}
		env.set(e.Name, value)
	}
	if _, ok := env.lookup("PATH"); !ok {
		env.set("PATH", defaultPath)
	}
	if _, ok := env.lookup("HOME"); !ok {
		env.set("HOME", "/tmp")
	}
	if _, ok := env.lookup("HOSTNAME"); !ok {
		env.set("HOSTNAME", pod.Name)
	}
	return env, nil
}

func (w *podWorker) envValueFrom(src *sources, pod *corev1.Pod, c *corev1.Container, from *corev1.EnvVarSource) (string, bool, error) {
	switch {
	case from.SecretKeyRef != nil:
		ref := from.SecretKeyRef
		sec, err := src.secret(ref.Name, ref.Optional)
		if err != nil || sec == nil {
			return "", false, err
		}
		v, ok := sec.Data[ref.Key]
		if !ok {
			if ref.Optional != nil && *ref.Optional {
				return "", false, nil
			}
			return "", false, &configError{fmt.Sprintf("couldn't find key %s in Secret %s/%s", ref.Key, w.ns, ref.Name)}
		}
		return string(v), true, nil
	case from.ConfigMapKeyRef != nil:
		ref := from.ConfigMapKeyRef
		cm, err := src.configMap(ref.Name, ref.Optional)
		if err != nil || cm == nil {
			return "", false, err
		}
		v, ok := cm.Data[ref.Key]
		if !ok {
			if b, isBinary := cm.BinaryData[ref.Key]; isBinary {
				return string(b), true, nil
			}
			if ref.Optional != nil && *ref.Optional {
				return "", false, nil
			}
			return "", false, &configError{fmt.Sprintf("couldn't find key %s in ConfigMap %s/%s", ref.Key, w.ns, ref.Name)}
		}
		return v, true, nil
	case from.FieldRef != nil:
		v, err := fieldValue(pod, from.FieldRef.FieldPath)
		if err != nil {
			return "", false, &configError{err.Error()}
		}
		return v, true, nil
	case from.ResourceFieldRef != nil:
		v, err := resourceValue(pod, c, from.ResourceFieldRef)
		if err != nil {
			return "", false, &configError{err.Error()}
		}
		return v, true, nil
	}
	return "", false, &configError{"unsupported valueFrom"}
}

// fieldValue resolves a downward-API field path. The pod shares the host network, so its
// IPs are 127.0.0.1.
func fieldValue(pod *corev1.Pod, path string) (string, error) {
	if key, ok := subscript(path, "metadata.labels"); ok {
		return pod.Labels[key], nil
	}
	if key, ok := subscript(path, "metadata.annotations"); ok {
		return pod.Annotations[key], nil
	}
	switch path {
	case "metadata.name":
		return pod.Name, nil
	case "metadata.namespace":
		return pod.Namespace, nil
	case "metadata.uid":
		return string(pod.UID), nil
	case "metadata.labels":
		return formatMap(pod.Labels), nil
	case "metadata.annotations":
		return formatMap(pod.Annotations), nil
	case "spec.nodeName":
		return pod.Spec.NodeName, nil
	case "spec.serviceAccountName":
		return pod.Spec.ServiceAccountName, nil
	case "status.podIP", "status.podIPs", "status.hostIP", "status.hostIPs":
		return podIP, nil
	}
	return "", fmt.Errorf("unsupported fieldRef %q", path)
}

// subscript parses `prefix['key']`.
func subscript(path, prefix string) (string, bool) {
	if !strings.HasPrefix(path, prefix+"['") || !strings.HasSuffix(path, "']") {
		return "", false
	}
	return path[len(prefix)+2 : len(path)-2], true
}

// formatMap renders labels/annotations like the kubelet's downward API files.
func formatMap(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var sb strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&sb, "%s=%q\n", k, m[k])
	}
	return sb.String()
}

// nodeAllocatable stands in for unset limits, as the kubelet uses node allocatable.
var nodeAllocatable = corev1.ResourceList{
	corev1.ResourceCPU:              resource.MustParse("32"),
	corev1.ResourceMemory:           resource.MustParse("256Gi"),
	corev1.ResourceEphemeralStorage: resource.MustParse("100Gi"),
}

// resourceValue resolves a resourceFieldRef: the quantity divided by the divisor, rounded up.
func resourceValue(pod *corev1.Pod, c *corev1.Container, ref *corev1.ResourceFieldSelector) (string, error) {
	if ref.ContainerName != "" {
		c = findContainer(pod, ref.ContainerName)
		if c == nil {
			return "", fmt.Errorf("resourceFieldRef: no container %q", ref.ContainerName)
		}
	}
	kind, name, ok := strings.Cut(ref.Resource, ".")
	if !ok {
		return "", fmt.Errorf("unsupported resourceFieldRef %q", ref.Resource)
	}
	res := corev1.ResourceName(name)
	var q resource.Quantity
	switch kind {
	case "limits":
		var found bool
		if q, found = c.Resources.Limits[res]; !found {
			q = nodeAllocatable[res]
		}
	case "requests": // API defaulting already copied limits into unset requests
		q = c.Resources.Requests[res]
	default:
		return "", fmt.Errorf("unsupported resourceFieldRef %q", ref.Resource)
	}
	divisor := ref.Divisor
	if divisor.IsZero() {
		divisor = resource.MustParse("1")
	}
	if res == corev1.ResourceCPU {
		return strconv.FormatInt(int64(math.Ceil(float64(q.MilliValue())/float64(divisor.MilliValue()))), 10), nil
	}
	return strconv.FormatInt(int64(math.Ceil(float64(q.Value())/float64(divisor.Value()))), 10), nil
}

func findContainer(pod *corev1.Pod, name string) *corev1.Container {
	for _, list := range [][]corev1.Container{pod.Spec.InitContainers, pod.Spec.Containers} {
		for i := range list {
			if list[i].Name == name {
				return &list[i]
			}
		}
	}
	return nil
}

// expand implements the kubelet's $(VAR) expansion: defined variables are replaced, $$
// escapes a $, and references to undefined variables are left as they are.
func expand(s string, lookup func(string) (string, bool)) string {
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '$' || i+1 >= len(s) {
			sb.WriteByte(s[i])
			continue
		}
		switch next := s[i+1]; next {
		case '$':
			sb.WriteByte('$')
			i++
		case '(':
			end := strings.IndexByte(s[i+2:], ')')
			if end < 0 {
				sb.WriteString("$(")
				i++
				continue
			}
			name := s[i+2 : i+2+end]
			if v, ok := lookup(name); ok {
				sb.WriteString(v)
			} else {
				sb.WriteString("$(" + name + ")")
			}
			i += 2 + end
		default:
			sb.WriteByte('$')
			sb.WriteByte(next)
			i++
		}
	}
	return sb.String()
}
