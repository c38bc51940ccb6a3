package executor

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
)

const (
	// initPath is where the bed binary appears inside a sandbox; it drops privileges and
	// execs the container's command (SandboxInit). Being static, it works in any image.
	initPath = "/.bed/init"
	// nonRootDefaultUID is used for runAsNonRoot without runAsUser (distroless "nonroot").
	nonRootDefaultUID = 65532
)

// hostDirs are shared read-only from the host into every sandbox (when they exist), so
// that host binaries and their libraries work. An image's own top-level entries win.
var hostDirs = []string{"usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32", "etc"}

// sandbox describes one container run: bubblewrap gives it a fresh root with the image,
// the host system directories, its volumes and its own pid namespace, on the host network.
type sandbox struct {
	hostname string
	image    *image
	mounts   []mount
	env      []string
	workDir  string
	termPath string // terminationMessagePath inside
	termFile string // ... and the file it is bound to (set by exec)
	uid, gid *int64
	groups   []int64
	argv     []string
}

type mount struct {
	src, dest string
	readOnly  bool
}

// buildSandbox resolves everything a container needs before it can start. The returned
// reason is the kubelet's waiting reason when that is not possible yet.
func (w *podWorker) buildSandbox(ctx context.Context, pod *corev1.Pod, c *corev1.Container, volumes map[string]podVolume) (*sandbox, string, error) {
	img, err := w.e.resolveImage(c)
	if err != nil {
		return nil, "ErrImagePull", err
	}
	uid, gid, groups, err := runAs(pod, c)
	if err != nil {
		return nil, "CreateContainerConfigError", err
	}
	env, err := w.containerEnv(w.newSources(ctx), pod, c, img)
	if err != nil {
		return nil, "CreateContainerConfigError", err
	}
	command, args := c.Command, c.Args
	if len(command) == 0 {
		command = img.config.Entrypoint
		if len(args) == 0 {
			args = img.config.Cmd
		}
	}
	var argv []string
	for _, a := range append(append([]string(nil), command...), args...) {
		argv = append(argv, expand(a, env.lookup))
	}
	if len(argv) == 0 {
		return nil, "CreateContainerError", errors.New("no command specified: set command in the container or Entrypoint in the image's " + ImageConfigFile)
	}

	box := &sandbox{hostname: pod.Name, image: img, env: env.environ(), uid: uid, gid: gid, groups: groups, argv: argv,
		workDir: c.WorkingDir, termPath: c.TerminationMessagePath}
	if box.workDir == "" {
		box.workDir = img.config.WorkingDir
	}
	if box.workDir == "" {
		box.workDir = "/"
	}
	if box.termPath == "" {
		box.termPath = corev1.TerminationMessagePathDefault
	}
	for _, vm := range c.VolumeMounts {
		vol, ok := volumes[vm.Name]
		if !ok {
			return nil, "CreateContainerConfigError", fmt.Errorf("volume %q not found", vm.Name)
		}
		src := vol.dir
		subPath := vm.SubPath
		if vm.SubPathExpr != "" {
			subPath = expand(vm.SubPathExpr, env.lookup)
		}
		if subPath != "" {
			src = filepath.Join(vol.dir, filepath.Clean("/"+subPath))
			if _, err := os.Lstat(src); os.IsNotExist(err) {
				// The kubelet creates a missing subPath as a directory.
				if err := os.MkdirAll(src, 0o755); err != nil {
					return nil, "CreateContainerConfigError", err
				}
			}
		}
		box.mounts = append(box.mounts, mount{src: src, dest: filepath.Clean(vm.MountPath),
			readOnly: vm.ReadOnly || vol.readOnly})
	}
	return box, "", nil
}

// runAs returns the user, group and supplementary groups of a container from the pod's
// and container's securityContext.
func runAs(pod *corev1.Pod, c *corev1.Container) (uid, gid *int64, groups []int64, err error) {
	psc := pod.Spec.SecurityContext
	if psc == nil {
		psc = &corev1.PodSecurityContext{}
	}
	csc := c.SecurityContext
	if csc == nil {
		csc = &corev1.SecurityContext{}
	}
	uid, gid = firstSet(csc.RunAsUser, psc.RunAsUser), firstSet(csc.RunAsGroup, psc.RunAsGroup)
	nonRoot := firstSet(csc.RunAsNonRoot, psc.RunAsNonRoot)
	if nonRoot != nil && *nonRoot {
		if uid == nil {
			uid = ptr(int64(nonRootDefaultUID))
			if gid == nil {
				gid = ptr(int64(nonRootDefaultUID))
			}
		}
		if *uid == 0 {
			return nil, nil, nil, fmt.Errorf("container's runAsUser breaks non-root policy (pod: %q, container: %s)", pod.Name, c.Name)
		}
	}
	if uid != nil && gid == nil {
		gid = ptr(int64(0)) // what runtimes do for a uid without an /etc/passwd entry
	}
	if psc.FSGroup != nil {
		groups = append(groups, *psc.FSGroup)
	}
	groups = append(groups, psc.SupplementalGroups...)
	return uid, gid, groups, nil
}

func firstSet[T any](vs ...*T) *T {
	for _, v := range vs {
		if v != nil {
			return v
		}
	}
	return nil
}

// args renders the bubblewrap command line.
func (s *sandbox) args(selfExe string) []string {
	a := []string{"--die-with-parent", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--hostname", s.hostname}
	dests := []string{s.termPath, initPath}
	tmpMounted := false
	for _, m := range s.mounts {
		dests = append(dests, m.dest)
		tmpMounted = tmpMounted || m.dest == "/tmp"
	}

	// Root entries: host system dirs, overridden by the image's top-level entries.
	top := map[string]string{}
	for _, d := range hostDirs {
		if _, err := os.Lstat("/" + d); err == nil && !s.image.config.Distroless {
			top[d] = "/" + d
		}
	}
	if s.image.root != "" {
		entries, _ := os.ReadDir(s.image.root)
		for _, e := range entries {
			switch e.Name() {
			case "proc", "dev", "sys", "tmp", ".bed", ImageConfigFile: // provided by the sandbox
			default:
				top[e.Name()] = filepath.Join(s.image.root, e.Name())
			}
		}
	}
	names := make([]string, 0, len(top))
	for n := range top {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		a = bindTree(a, top[n], "/"+n, dests)
	}

	a = append(a, "--dev", "/dev", "--proc", "/proc")
	if !tmpMounted {
		a = append(a, "--perms", "1777", "--tmpfs", "/tmp") // HOME is /tmp: any user must write
	}
	// Parents before children, so nested mounts land inside their parent mount.
	mounts := append([]mount(nil), s.mounts...)
	sort.SliceStable(mounts, func(i, j int) bool { return depth(mounts[i].dest) < depth(mounts[j].dest) })
	for _, m := range mounts {
		op := "--bind"
		if m.readOnly {
			op = "--ro-bind"
		}
		a = append(append(a, parentDirs(m.dest)...), op, m.src, m.dest)
	}
	a = append(append(a, parentDirs(s.termPath)...), "--bind", s.termFile, s.termPath)
	a = append(append(a, parentDirs(initPath)...), "--ro-bind", selfExe, initPath, "--chdir", s.workDir)

	a = append(a, "--", initPath, SandboxInitCommand, "--termination-log", s.termPath)
	if s.uid != nil {
		a = append(a, "--uid", strconv.FormatInt(*s.uid, 10))
	}
	if s.gid != nil {
		a = append(a, "--gid", strconv.FormatInt(*s.gid, 10))
	}
	if len(s.groups) > 0 {
		gs := make([]string, len(s.groups))
		for i, g := range s.groups {
			gs[i] = strconv.FormatInt(g, 10)
		}
		a = append(a, "--groups", strings.Join(gs, ","))
	}
	return append(append(a, "--"), s.argv...)
}

// bindTree shares src read-only at dest. When a mount point lies below dest, dest becomes
// a fresh directory (on the sandbox's tmpfs root) holding src's entries one by one,
// recursively: a mount point cannot be created inside a read-only bind mount.
func bindTree(a []string, src, dest string, mountPoints []string) []string {
	fi, err := os.Lstat(src)
	if err != nil {
		return a
	}
	if fi.Mode()&os.ModeSymlink != 0 { // e.g. /bin -> usr/bin on merged-/usr systems
		target, err := os.Readlink(src)
		if err != nil {
			return a
		}
		return append(a, "--symlink", target, dest)
	}
	below := false
	for _, m := range mountPoints {
		if m == dest {
			return a // replaced by the mount
		}
		below = below || strings.HasPrefix(m, dest+"/")
	}
	if !fi.IsDir() || !below {
		return append(a, "--ro-bind", src, dest)
	}
	a = append(a, "--dir", dest)
	entries, _ := os.ReadDir(src)
	for _, e := range entries {
		a = bindTree(a, filepath.Join(src, e.Name()), filepath.Join(dest, e.Name()), mountPoints)
	}
	return a
}

// parentDirs creates the missing parents of a mount point explicitly: bubblewrap would
// create them with mode 0700, which a non-root container user cannot enter. Existing
// directories are left as they are.
func parentDirs(dest string) []string {
	var a []string
	for p := filepath.Dir(dest); p != "/"; p = filepath.Dir(p) {
		a = append([]string{"--dir", p}, a...)
	}
	return a
}

func depth(p string) int { return strings.Count(filepath.Clean(p), "/") }
