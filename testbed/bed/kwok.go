package main

import (
	"bytes"
	"context"
	"embed"
	"os"
	"os/exec"
	"path"
	"syscall"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

const (
	nodeName      = "bed-node"
	nodeSelector  = "type=kwok"
	nodeIP        = "127.0.0.1"
	kwokPodCIDR   = "10.244.0.0/16"
	leaseDuration = "40"
)

// stages replace KWOK's built-in stages. Any pod Stage in the config replaces *all* default
// pod stages, so the full set is here: KWOK's "fast" pod stages with Job pods excluded from
// ready/complete (the executor runs them), a pod-delete stage for every pod, and the
// default node stages (initialize + heartbeat).
//
//go:embed stages/*.yaml
var stages embed.FS

// kwokConfig is the file passed to kwok --config: its options plus the stages.
func kwokConfig() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("apiVersion: config.kwok.x-k8s.io/v1alpha1\nkind: KwokConfiguration\noptions:\n  enableCNI: false\n")
	entries, err := stages.ReadDir("stages")
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		data, err := stages.ReadFile(path.Join("stages", e.Name()))
		if err != nil {
			return nil, err
		}
		buf.WriteString("---\n")
		buf.Write(data)
	}
	return buf.Bytes(), nil
}

func (b *Bed) startKwok() error {
	cfg, err := kwokConfig()
	if err != nil {
		return err
	}
	cfgPath := b.statePath("kwok.yaml")
	if err := os.WriteFile(cfgPath, cfg, 0o644); err != nil {
		return err
	}
	cmd := exec.Command(b.binPath("kwok"),
		"--kubeconfig="+b.kubeconfig(),
		"--config="+cfgPath,
		"--manage-all-nodes=false",
		"--manage-nodes-with-label-selector="+nodeSelector,
		"--node-ip="+nodeIP,
		"--cidr="+kwokPodCIDR,
		"--node-lease-duration-seconds="+leaseDuration,
	)
	// kwok also reads ~/.kwok/kwok.yaml if it exists; a private HOME keeps a user's file out.
	home := b.statePath("kwok-home")
	if err := os.MkdirAll(home, 0o755); err != nil {
		return err
	}
	cmd.Env = append(os.Environ(), "HOME="+home)
	_, err = b.sup.Start("kwok", cmd, b.logPath("kwok"), syscall.SIGTERM)
	return err
}

// createNode registers the single fake node. Its status already carries what KWOK keeps
// (addresses, capacity) plus the kubelet endpoint, which points at the bed's own kubelet API
// so that `kubectl logs` works for Job pods.
func (b *Bed) createNode(ctx context.Context, kubeletPort int) error {
	res := corev1.ResourceList{
		corev1.ResourceCPU:    resource.MustParse("32"),
		corev1.ResourceMemory: resource.MustParse("256Gi"),
		corev1.ResourcePods:   resource.MustParse("250"),
	}
	node := &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{
			Name: nodeName,
			Labels: map[string]string{
				"type":                   "kwok",
				"kubernetes.io/hostname": nodeName,
				"kubernetes.io/os":       "linux",
				"kubernetes.io/arch":     "amd64",
			},
			Annotations: map[string]string{"node.alpha.kubernetes.io/ttl": "0", "kwok.x-k8s.io/node": "fake"},
		},
		Status: corev1.NodeStatus{
			Allocatable: res,
			Capacity:    res,
			Addresses: []corev1.NodeAddress{
				{Type: corev1.NodeInternalIP, Address: nodeIP},
				{Type: corev1.NodeHostName, Address: nodeName},
			},
			DaemonEndpoints: corev1.NodeDaemonEndpoints{KubeletEndpoint: corev1.DaemonEndpoint{Port: int32(kubeletPort)}},
		},
	}
	_, err := b.client.CoreV1().Nodes().Create(ctx, node, metav1.CreateOptions{})
	if apierrors.IsAlreadyExists(err) {
		return nil
	}
	return err
}

// waitNode waits until KWOK made the node Ready and the node lifecycle controller removed its
// not-ready taint; before that the scheduler would not place pods on it.
func (b *Bed) waitNode(ctx context.Context) error {
	return b.poll(ctx, "node "+nodeName+" Ready", func() (bool, error) {
		n, err := b.client.CoreV1().Nodes().Get(ctx, nodeName, metav1.GetOptions{})
		if err != nil {
			return false, nil
		}
		for _, t := range n.Spec.Taints {
			if t.Effect == corev1.TaintEffectNoSchedule || t.Effect == corev1.TaintEffectNoExecute {
				return false, nil
			}
		}
		for _, c := range n.Status.Conditions {
			if c.Type == corev1.NodeReady {
				return c.Status == corev1.ConditionTrue, nil
			}
		}
		return false, nil
	})
}
