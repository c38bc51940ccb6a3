package main

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// The real node: pods placed on it run as containers (containerd, runc, the CNI plugins), with a
// real kubelet and kube-proxy, in a network namespace of its own. The KWOK node stays for the
// tiers that need no real container; this one is tainted so that only pods that choose it land
// there (a namespace annotated as realNodeNamespaceAnnotations says does, for all its pods).
const (
	realNodeName  = "bed-real"
	realNodeLabel = "schemagate.io/bed-node"
	realNodeTaint = "schemagate.io/real-node"
	// The pause image every pod's sandbox runs, made by the bed from its own pause program.
	pauseImage = "schemagate.local/pause:bed"
	// Each bed's node takes the first free slot: its link 10.250.<slot>.0/24 (host .1, node .2)
	// and its pods 10.251.<slot>.0/24, so that beds side by side on one machine never clash.
	maxNodeSlots = 64
)

// realNodeNamespaceAnnotations place every pod of a namespace on the real node: the API server's
// PodNodeSelector and PodTolerationRestriction admission plugins read them.
var realNodeNamespaceAnnotations = map[string]string{
	"scheduler.alpha.kubernetes.io/node-selector":      realNodeLabel + "=real",
	"scheduler.alpha.kubernetes.io/defaultTolerations": `[{"key":"` + realNodeTaint + `","operator":"Exists","effect":"NoSchedule"}]`,
}

// nodeResources are what the node holds on the host beyond its processes: written before they are
// made, so that `bed down` and the next `bed up` can remove them after a bed that died.
type nodeResources struct {
	Slot       int    `json:"slot"`
	Netns      string `json:"netns"`
	HostLink   string `json:"hostLink"`
	CgroupRoot string `json:"cgroupRoot"`
	Dir        string `json:"dir"`
	Socket     string `json:"socket"`
	Ctr        string `json:"ctr"` // containerd's client, for `bed node import`
}

func (r nodeResources) hostIP() string  { return fmt.Sprintf("10.250.%d.1", r.Slot) }
func (r nodeResources) nodeIP() string  { return fmt.Sprintf("10.250.%d.2", r.Slot) }
func (r nodeResources) podCIDR() string { return fmt.Sprintf("10.251.%d.0/24", r.Slot) }
func (r nodeResources) path(name string) string {
	return filepath.Join(r.Dir, name)
}

type realNode struct {
	b *Bed
	nodeResources
	pauseBinary string
}

func (b *Bed) nodeDir() string { return b.statePath("node") }

// prepareRealNode takes a slot and makes the node's network: a namespace joined to the host by a
// veth pair, the host reaching the pods through it. Done before the API server and PostgreSQL
// start, which listen on the host's end of it.
func (b *Bed) prepareRealNode(pauseBinary string) (*realNode, error) {
	if os.Geteuid() != 0 {
		return nil, errors.New("the real node needs root (a kubelet, containerd and a network namespace); " +
			"run the bed as root, or without --real-node")
	}
	if err := os.MkdirAll(b.nodeDir(), 0o755); err != nil {
		return nil, err
	}
	for slot := 0; slot < maxNodeSlots; slot++ {
		netns := "schemagate-" + strconv.Itoa(slot)
		if _, err := os.Stat(filepath.Join("/run/netns", netns)); err == nil {
			continue
		}
		r := nodeResources{
			Slot:       slot,
			Netns:      netns,
			HostLink:   "sgbed" + strconv.Itoa(slot),
			CgroupRoot: "/schemagate-" + strconv.Itoa(slot),
			Dir:        b.nodeDir(),
			Socket:     filepath.Join(b.nodeDir(), "containerd", "containerd.sock"),
			Ctr:        b.binPath("ctr"),
		}
		if err := writeJSON(filepath.Join(b.nodeDir(), "resources.json"), r); err != nil {
			return nil, err
		}
		if err := run("ip", "netns", "add", netns); err != nil {
			continue // taken meanwhile by another bed
		}
		n := &realNode{b: b, nodeResources: r, pauseBinary: pauseBinary}
		return n, n.network()
	}
	return nil, fmt.Errorf("no free slot for a real node: %d beds' nodes already run here", maxNodeSlots)
}

func (n *realNode) network() error {
	nodeLink := "eth0"
	steps := [][]string{
		{"ip", "link", "add", n.HostLink, "type", "veth", "peer", "name", nodeLink, "netns", n.Netns},
		{"ip", "addr", "add", n.hostIP() + "/24", "dev", n.HostLink},
		{"ip", "link", "set", n.HostLink, "up"},
		{"ip", "-n", n.Netns, "link", "set", "lo", "up"},
		{"ip", "-n", n.Netns, "addr", "add", n.nodeIP() + "/24", "dev", nodeLink},
		{"ip", "-n", n.Netns, "link", "set", nodeLink, "up"},
		{"ip", "-n", n.Netns, "route", "add", "default", "via", n.hostIP()},
		// The host reaches the pods (the API server calls webhooks on pod IPs) through the node.
		{"ip", "route", "add", n.podCIDR(), "via", n.nodeIP(), "dev", n.HostLink},
		// The node routes between its pods' bridge and the host.
		{"ip", "netns", "exec", n.Netns, "sysctl", "-qw", "net.ipv4.ip_forward=1"},
	}
	for _, step := range steps {
		if err := run(step[0], step[1:]...); err != nil {
			return fmt.Errorf("real node network: %w", err)
		}
	}
	return nil
}

// inNode runs a binary of the bed inside the node's network namespace (and nothing else of it:
// the mounts the kubelet makes must be seen by containerd).
func (n *realNode) inNode(binary string, args ...string) *exec.Cmd {
	return exec.Command("nsenter", append([]string{"--net=/run/netns/" + n.Netns, "--", n.b.binPath(binary)}, args...)...)
}

// start brings up containerd, the kubelet and kube-proxy, and waits until the node is Ready.
func (n *realNode) start(ctx context.Context) error {
	for _, dir := range []string{"containerd", "cni/net.d", "cni/ipam", "kubelet", "pod-logs"} {
		if err := os.MkdirAll(n.path(dir), 0o755); err != nil {
			return err
		}
	}
	if err := n.writeConfigs(); err != nil {
		return err
	}
	if err := makeCgroups(n.CgroupRoot); err != nil {
		return err
	}
	containerd := n.inNode("containerd", "--config", n.path("containerd.toml"))
	containerd.Env = append(os.Environ(), "PATH="+n.b.Bin+":"+os.Getenv("PATH"))
	if _, err := n.b.sup.Start("containerd", containerd, n.b.logPath("containerd"), syscall.SIGTERM); err != nil {
		return err
	}
	if err := n.b.poll(ctx, "containerd socket", func() (bool, error) {
		return n.ctr("version") == nil, nil
	}); err != nil {
		return err
	}
	if err := n.importPause(); err != nil {
		return err
	}
	kubelet := n.inNode("kubelet",
		"--config="+n.path("kubelet.yaml"),
		"--kubeconfig="+n.path("kubelet.kubeconfig"),
		"--hostname-override="+realNodeName,
		"--node-ip="+n.nodeIP(),
		"--node-labels="+realNodeLabel+"=real",
		"--root-dir="+n.path("kubelet"),
	)
	if _, err := n.b.sup.Start("kubelet", kubelet, n.b.logPath("kubelet"), syscall.SIGTERM); err != nil {
		return err
	}
	proxy := n.inNode("kube-proxy", "--config="+n.path("kube-proxy.yaml"))
	if _, err := n.b.sup.Start("kube-proxy", proxy, n.b.logPath("kube-proxy"), syscall.SIGTERM); err != nil {
		return err
	}
	return n.b.poll(ctx, "node "+realNodeName+" Ready", func() (bool, error) {
		node, err := n.b.client.CoreV1().Nodes().Get(ctx, realNodeName, metav1.GetOptions{})
		if err != nil {
			return false, nil
		}
		for _, c := range node.Status.Conditions {
			if c.Type == corev1.NodeReady {
				return c.Status == corev1.ConditionTrue, nil
			}
		}
		return false, nil
	})
}

// ctr runs containerd's client against this node's containerd, in the namespace of the CRI.
func (n *realNode) ctr(args ...string) error {
	return run(n.Ctr, append([]string{"--address", n.Socket, "--namespace", "k8s.io"}, args...)...)
}

// importPause makes the sandbox image from the bed's pause program; nothing is pulled.
func (n *realNode) importPause() error {
	program, err := os.ReadFile(n.pauseBinary)
	if err != nil {
		return fmt.Errorf("pause program: %w", err)
	}
	archive := n.path("pause.tar")
	if err := singleFileImage(archive, pauseImage, "pause", program); err != nil {
		return err
	}
	return n.ctr("images", "import", archive)
}

// cmdNode imports image archives (`docker save`, or OCI archives) into the running bed's real
// node, so that a pod there naming one runs it without a pull: `bed node import --state DIR A...`.
func cmdNode(args []string) error {
	usage := errors.New("usage: bed node import --state DIR ARCHIVE...")
	if len(args) == 0 || args[0] != "import" {
		return usage
	}
	state, archives, err := stateFlag("node import", args[1:])
	if err != nil {
		return err
	}
	if len(archives) == 0 {
		return usage
	}
	var r nodeResources
	data, err := os.ReadFile(filepath.Join(state, "node", "resources.json"))
	if err != nil || json.Unmarshal(data, &r) != nil || !locked(state) {
		return fmt.Errorf("no test bed with a real node runs in %s", state)
	}
	for _, archive := range archives {
		if err := run(r.Ctr, "--address", r.Socket, "--namespace", "k8s.io", "images", "import", archive); err != nil {
			return err
		}
		logf("imported %s into the real node", archive)
	}
	return nil
}

func (n *realNode) writeConfigs() error {
	pki := n.b.pki
	apiserver := "https://" + n.hostIP() + ":" + strconv.Itoa(n.b.ports.apiserver)
	for _, kubeconfig := range []struct{ file, identity string }{
		{"kubelet.kubeconfig", "node"}, {"kube-proxy.kubeconfig", "kube-proxy"},
	} {
		if err := writeKubeconfigFor(n.path(kubeconfig.file), apiserver, pki, kubeconfig.identity); err != nil {
			return err
		}
	}
	files := map[string]string{
		"containerd.toml": fmt.Sprintf(`version = 3
root = %[1]q
state = %[2]q
disabled_plugins = ["io.containerd.nri.v1.nri", "io.containerd.internal.v1.tracing"]

[grpc]
  address = %[3]q

[ttrpc]
  address = %[4]q

[plugins.'io.containerd.internal.v1.opt']
  path = %[5]q

[plugins.'io.containerd.cri.v1.images']
  snapshotter = "overlayfs"
  [plugins.'io.containerd.cri.v1.images'.pinned_images]
    sandbox = %[6]q

[plugins.'io.containerd.cri.v1.runtime']
  netns_mounts_under_state_dir = true
  # This machine's processes may not lower their OOM score below their own.
  restrict_oom_score_adj = true
  cdi_spec_dirs = []
  [plugins.'io.containerd.cri.v1.runtime'.containerd]
    default_runtime_name = "runc"
    [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]
        BinaryName = %[7]q
        SystemdCgroup = false
  [plugins.'io.containerd.cri.v1.runtime'.cni]
    bin_dirs = [%[8]q]
    conf_dir = %[9]q
`, n.path("containerd/root"), n.path("containerd/state"), n.Socket, n.Socket+".ttrpc",
			n.path("containerd/opt"), pauseImage, n.b.binPath("runc"), n.b.Bin, n.path("cni/net.d")),
		"cni/net.d/10-bed.conflist": fmt.Sprintf(`{
  "cniVersion": "1.0.0",
  "name": "bed",
  "plugins": [
    {"type": "bridge", "bridge": "cni0", "isGateway": true, "ipMasq": false, "hairpinMode": true,
     "ipam": {"type": "host-local", "ranges": [[{"subnet": %q}]], "routes": [{"dst": "0.0.0.0/0"}],
              "dataDir": %q}},
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
`, n.podCIDR(), n.path("cni/ipam")),
		"kubelet.yaml": fmt.Sprintf(`apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
# The bed's machines run cgroup v1, which kubelets refuse by default since 1.35.
failCgroupV1: false
cgroupDriver: cgroupfs
cgroupRoot: %[1]s
containerRuntimeEndpoint: unix://%[2]s
address: %[3]s
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
podLogsDir: %[4]s
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: %[5]s}
authorization: {mode: Webhook}
tlsCertFile: %[6]s
tlsPrivateKeyFile: %[7]s
registerWithTaints:
  - {key: %[8]s, value: "true", effect: NoSchedule}
# No cluster DNS: pods reach the API server and PostgreSQL by address.
resolvConf: /etc/resolv.conf
failSwapOn: false
serializeImagePulls: false
enforceNodeAllocatable: []
evictionHard: {memory.available: 100Mi, nodefs.available: 1%%, imagefs.available: 1%%, nodefs.inodesFree: 1%%}
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
syncFrequency: 10s
fileCheckFrequency: 0s
shutdownGracePeriod: 0s
`, n.CgroupRoot, n.Socket, n.nodeIP(), n.path("pod-logs"), pki.Path("ca.crt"),
			pki.Path("node-serving.crt"), pki.Path("node-serving.key"), realNodeTaint),
		"kube-proxy.yaml": fmt.Sprintf(`apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: iptables
clientConnection: {kubeconfig: %[1]s}
hostnameOverride: %[2]s
bindAddress: %[3]s
clusterCIDR: %[4]s
metricsBindAddress: 127.0.0.1:10249
healthzBindAddress: 127.0.0.1:10256
# Leaves the machine's conntrack table alone: it is shared with the host.
conntrack: {maxPerCore: 0}
iptables: {masqueradeAll: true}
`, n.path("kube-proxy.kubeconfig"), realNodeName, n.nodeIP(), n.podCIDR()),
	}
	for name, content := range files {
		if err := os.WriteFile(n.path(name), []byte(content), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// issueNodeCertificates adds what the node's components authenticate with to the bed's PKI.
func issueNodeCertificates(pki *PKI, nodeIP net.IP) error {
	if err := pki.issue("node", "system:node:"+realNodeName, []string{"system:nodes"},
		x509.ExtKeyUsageClientAuth, nil, nil); err != nil {
		return err
	}
	if err := pki.issue("kube-proxy", "system:kube-proxy", nil, x509.ExtKeyUsageClientAuth, nil, nil); err != nil {
		return err
	}
	return pki.issue("node-serving", "system:node:"+realNodeName, []string{"system:nodes"},
		x509.ExtKeyUsageServerAuth, []net.IP{nodeIP}, []string{realNodeName})
}

// removeRealNode takes down what a node left on the host, whether the bed stops it or finds it
// after a bed that died: its containers, containerd's shims, its mounts, cgroups and network.
func removeRealNode(state string) {
	var r nodeResources
	data, err := os.ReadFile(filepath.Join(state, "node", "resources.json"))
	if err != nil || json.Unmarshal(data, &r) != nil {
		return
	}
	for attempt := 0; attempt < 50; attempt++ {
		killed := killAll(cgroupProcesses(r.CgroupRoot)) + killAll(processesMentioning(r.Socket))
		if killed == 0 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	unmountUnder(r.Dir)
	removeCgroups(r.CgroupRoot)
	if _, err := os.Stat(filepath.Join("/run/netns", r.Netns)); err == nil {
		// The veth pair, its route and the node's iptables rules go with the namespace.
		if err := run("ip", "netns", "del", r.Netns); err != nil {
			logf("real node: %v", err)
		}
	}
	_ = os.Remove(filepath.Join(state, "node", "resources.json"))
}

// cgroupProcesses lists every process in the node's cgroups, in any hierarchy.
func cgroupProcesses(root string) []int {
	var pids []int
	hierarchies, _ := filepath.Glob("/sys/fs/cgroup/*")
	for _, h := range hierarchies {
		_ = filepath.WalkDir(filepath.Join(h, root), func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || d.Name() != "cgroup.procs" {
				return nil
			}
			data, _ := os.ReadFile(p)
			for _, field := range strings.Fields(string(data)) {
				if pid, err := strconv.Atoi(field); err == nil {
					pids = append(pids, pid)
				}
			}
			return nil
		})
	}
	return pids
}

// processesMentioning lists processes whose command line names this path: containerd's shims,
// which leave containerd's process group on purpose, name its socket.
func processesMentioning(path string) []int {
	var pids []int
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		cmdline, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err == nil && strings.Contains(string(cmdline), path) {
			pids = append(pids, pid)
		}
	}
	return pids
}

func killAll(pids []int) int {
	for _, pid := range pids {
		_ = syscall.Kill(pid, syscall.SIGKILL)
	}
	return len(pids)
}

// unmountUnder detaches every mount below dir, deepest first: the containers' root file systems,
// the kubelet's volumes, the pods' network namespaces. Removing the folder with them in place
// would reach into what they mount.
func unmountUnder(dir string) {
	data, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		return
	}
	var targets []string
	for _, line := range strings.Split(string(data), "\n") {
		fields := strings.Fields(line)
		if len(fields) > 4 && strings.HasPrefix(fields[4], dir+"/") {
			targets = append(targets, fields[4])
		}
	}
	for i := len(targets) - 1; i >= 0; i-- {
		_ = syscall.Unmount(targets[i], syscall.MNT_DETACH)
	}
}

// makeCgroups makes the node's cgroup in every hierarchy: the kubelet puts its pods below it, and
// wants it there first. A new cpuset takes its parent's CPUs and memory nodes, or nothing could
// join it.
func makeCgroups(root string) error {
	hierarchies, _ := filepath.Glob("/sys/fs/cgroup/*")
	for _, h := range hierarchies {
		dir := filepath.Join(h, root)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("cgroup %s: %w", dir, err)
		}
		if filepath.Base(h) != "cpuset" {
			continue
		}
		for _, file := range []string{"cpuset.cpus", "cpuset.mems"} {
			value, err := os.ReadFile(filepath.Join(h, file))
			if err == nil {
				err = os.WriteFile(filepath.Join(dir, file), value, 0o644)
			}
			if err != nil {
				return fmt.Errorf("cgroup %s: %w", dir, err)
			}
		}
	}
	return nil
}

// removeCgroups removes the node's cgroup folders bottom-up; only empty cgroups can go.
func removeCgroups(root string) {
	hierarchies, _ := filepath.Glob("/sys/fs/cgroup/*")
	for _, h := range hierarchies {
		var dirs []string
		_ = filepath.WalkDir(filepath.Join(h, root), func(p string, d os.DirEntry, err error) error {
			if err == nil && d.IsDir() {
				dirs = append(dirs, p)
			}
			return nil
		})
		for i := len(dirs) - 1; i >= 0; i-- {
			_ = syscall.Rmdir(dirs[i])
		}
	}
}

func run(name string, args ...string) error {
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s %s: %v: %s", name, strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return nil
}

func writeJSON(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}
