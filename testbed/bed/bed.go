package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"k8s.io/client-go/kubernetes"

	"schemagate.io/testbed/bed/executor"
)

// startupTimeout bounds `bed up`; a cold start on 2 cores takes well under a minute.
const startupTimeout = 5 * time.Minute

// componentStopTimeout is how long a component may take to stop before it is killed.
const componentStopTimeout = 15 * time.Second

// Bed is one running test bed: its processes, credentials and clients.
type Bed struct {
	State  string
	Bin    string
	Images map[string]string // --image REF=DIR
	// Pause is the pause program of the real node's sandboxes; empty: no real node (--real-node).
	Pause string

	sup   *Supervisor
	pki   *PKI
	ports struct {
		etcdClient, etcdPeer, apiserver, kcm, scheduler, postgres int
	}
	client   kubernetes.Interface
	pg       *Postgres
	executor *executor.Executor
	kubelet  *kubeletAPI
	control  *controlServer
	node     *realNode // nil without --real-node

	// startup is canceled, with the reason, when a component dies while the bed starts or
	// when the bed is interrupted.
	startup      context.Context
	abortStartup context.CancelCauseFunc
}

func newBed(state, bin string, images map[string]string, pause string) *Bed {
	b := &Bed{State: state, Bin: bin, Images: images, Pause: pause, sup: NewSupervisor()}
	b.startup, b.abortStartup = context.WithCancelCause(context.Background())
	return b
}

// stateEntries are the names `up` owns inside the state directory and wipes on a fresh
// start. Everything else (notably images/, which tests fill) is left alone.
var stateEntries = []string{"kubeconfig", "kwok.yaml", "kwok-home", "pki",
	"etcd", "pg", "pg-tls", "pgsock", "pg-pwfile", "logs", "pods", "volumes", "node"}

func (b *Bed) statePath(name string) string { return filepath.Join(b.State, name) }
func (b *Bed) logPath(component string) string {
	return filepath.Join(b.State, "logs", component+".log")
}
func (b *Bed) binPath(name string) string { return filepath.Join(b.Bin, name) }
func (b *Bed) kubeconfig() string         { return b.statePath("kubeconfig") }
func (b *Bed) apiserverURL() string {
	return "https://127.0.0.1:" + strconv.Itoa(b.ports.apiserver)
}

// Start brings up every component and returns once the bed is usable.
func (b *Bed) Start() error {
	ctx, cancelTimeout := context.WithTimeout(b.startup, startupTimeout)
	defer cancelTimeout()
	go func() {
		// A component that dies during startup makes waiting pointless: fail with its log.
		select {
		case p := <-b.sup.Died():
			if ctx.Err() != nil { // startup is over: leave it to the caller
				b.sup.died <- p
				return
			}
			b.abortStartup(componentDied(p))
		case <-ctx.Done():
		}
	}()
	start := time.Now()

	if err := b.prepareState(); err != nil {
		return err
	}
	var err error
	if b.Pause != "" {
		if b.node, err = b.prepareRealNode(b.Pause); err != nil {
			return err
		}
	}
	for _, p := range []*int{&b.ports.etcdClient, &b.ports.etcdPeer, &b.ports.apiserver,
		&b.ports.kcm, &b.ports.scheduler, &b.ports.postgres} {
		port, err := freePort()
		if err != nil {
			return err
		}
		*p = port
	}
	if b.pki, err = newPKI(b.statePath("pki"), b.apiserverHostIPs()); err != nil {
		return fmt.Errorf("certificates: %w", err)
	}
	if b.node != nil {
		if err := issueNodeCertificates(b.pki, net.ParseIP(b.node.nodeIP())); err != nil {
			return fmt.Errorf("certificates: %w", err)
		}
	}
	// The bed's kubelet API keeps its listener from here on, so its port cannot be taken.
	kubeletListener, err := net.Listen("tcp", nodeIP+":0")
	if err != nil {
		return err
	}
	if err := b.writeKubeconfig(); err != nil {
		return err
	}

	pgDone := make(chan error, 1)
	go func() {
		err := b.createPostgres()
		if err == nil {
			err = b.startPostgresServer()
		}
		if err != nil {
			pgDone <- fmt.Errorf("postgres: %w", err)
			return
		}
		pgDone <- b.waitPostgres(ctx)
	}()

	if err := b.startEtcd(); err != nil {
		return err
	}
	if err := b.waitEtcd(ctx); err != nil {
		return err
	}
	if err := b.startAPIServer(); err != nil {
		return err
	}
	if err := b.waitAPIServer(ctx); err != nil {
		return err
	}
	logf("kube-apiserver ready after %.1fs", time.Since(start).Seconds())
	if err := b.startControllers(); err != nil {
		return err
	}
	if err := b.startKwok(); err != nil {
		return err
	}
	kubeletPort := kubeletListener.Addr().(*net.TCPAddr).Port
	if err := b.createNode(ctx, kubeletPort); err != nil {
		return fmt.Errorf("create node: %w", err)
	}

	b.executor = executor.New(executor.Config{
		Client:        b.client,
		NodeName:      nodeName,
		PodsDir:       b.statePath("pods"),
		VolumesDir:    b.statePath("volumes"),
		ImageStore:    b.statePath("images"),
		Images:        b.Images,
		Start:         b.sup.StartCmd,
		APIServerHost: "127.0.0.1",
		APIServerPort: b.ports.apiserver,
		Logf:          logf,
	})
	if err := b.executor.Start(ctx); err != nil {
		return fmt.Errorf("executor: %w", err)
	}
	b.kubelet = serveKubeletAPI(kubeletListener, b.pki, b.executor)

	if err := b.waitControllers(ctx); err != nil {
		return err
	}
	if err := b.waitNode(ctx); err != nil {
		return err
	}
	select {
	case err := <-pgDone:
		if err != nil {
			return err
		}
	case <-ctx.Done():
		return b.startupError(ctx, "postgres")
	}
	if b.node != nil {
		if err := b.node.start(ctx); err != nil {
			return fmt.Errorf("real node: %w", err)
		}
		logf("real node %s ready after %.1fs", realNodeName, time.Since(start).Seconds())
	}
	if b.control, err = serveControl(b.statePath(controlSocket), b.controlOps()); err != nil {
		return err
	}
	logf("test bed ready after %.1fs", time.Since(start).Seconds())
	return nil
}

// Stop takes the bed down: the control channel first (so that no operation restarts a
// component meanwhile), then pods, then the components in reverse dependency order.
func (b *Bed) Stop() {
	if b.control != nil {
		b.control.Close()
	}
	if b.executor != nil {
		b.executor.Stop(10 * time.Second)
	}
	if b.kubelet != nil {
		b.kubelet.Close()
	}
	b.sup.StopAll(componentStopTimeout, []string{"kube-proxy", "kubelet", "kwok", "kube-scheduler",
		"kube-controller-manager", "kube-apiserver", "etcd", "postgres", "containerd"})
	if b.node != nil {
		removeRealNode(b.State)
	}
}

func (b *Bed) prepareState() error {
	if err := os.MkdirAll(b.State, 0o755); err != nil {
		return err
	}
	// What a bed that died left of its real node goes first: its mounts are under the state dir.
	removeRealNode(b.State)
	// PostgreSQL runs as its own user and must be able to enter the state dir.
	if err := os.Chmod(b.State, 0o755); err != nil {
		return err
	}
	for _, name := range stateEntries {
		if err := os.RemoveAll(b.statePath(name)); err != nil {
			return err
		}
	}
	for _, d := range []string{"logs", "pods", "images"} {
		if err := os.MkdirAll(b.statePath(d), 0o755); err != nil {
			return err
		}
	}
	return nil
}

// poll calls f every 100ms until it reports true or startup fails.
func (b *Bed) poll(ctx context.Context, what string, f func() (bool, error)) error {
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for {
		ok, err := f()
		if err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		if ok {
			return nil
		}
		select {
		case <-ctx.Done():
			return b.startupError(ctx, what)
		case <-t.C:
		}
	}
}

func (b *Bed) startupError(ctx context.Context, what string) error {
	if cause := context.Cause(ctx); cause != nil && !errors.Is(cause, context.Canceled) &&
		!errors.Is(cause, context.DeadlineExceeded) {
		return cause
	}
	return fmt.Errorf("timed out after %s waiting for %s (component logs in %s)", startupTimeout, what, b.statePath("logs"))
}

func componentDied(p *Proc) error {
	_, err := p.Exited()
	return fmt.Errorf("%s exited during startup (%v); last lines of %s:\n%s", p.Name, err, p.LogPath, tail(p.LogPath, 30))
}

// Env is the shell-sourceable contract of a running bed.
func (b *Bed) Env() []envVar {
	port := strconv.Itoa(b.pg.Port)
	env := []envVar{
		{"KUBECONFIG", b.kubeconfig()},
		{"JDBC_URL", "jdbc:postgresql://127.0.0.1:" + port + "/postgres"},
		{"PGHOST", "127.0.0.1"},
		{"PGPORT", port},
		{"PGUSER", b.pg.User},
		{"PGPASSWORD", b.pg.Password},
		// What a client verifies the server with (sslmode=verify-full, host 127.0.0.1 or localhost).
		{"SCHEMAGATE_TESTBED_PG_CA", b.statePath("pg-tls/ca.crt")},
		{"SCHEMAGATE_TESTBED_STATE", b.State},
		{"SCHEMAGATE_TESTBED_IMAGES", b.statePath("images")},
	}
	if b.node != nil {
		env = append(env,
			// The node whose pods are containers, and the address they reach this machine by (the
			// API server, PostgreSQL on the same port as above).
			envVar{"SCHEMAGATE_TESTBED_NODE", realNodeName},
			envVar{"SCHEMAGATE_TESTBED_NODE_HOST", b.node.hostIP()},
			// Where its pods' cgroups are (cgroup v1: under every hierarchy), for what they used.
			envVar{"SCHEMAGATE_TESTBED_NODE_CGROUP", b.node.CgroupRoot})
	}
	return env
}

// apiserverHostIPs are the addresses the API server's certificate names beside loopback: the
// host's end of the real node's link, where its kubelet and pods reach it.
func (b *Bed) apiserverHostIPs() []net.IP {
	if b.node == nil {
		return nil
	}
	return []net.IP{net.ParseIP(b.node.hostIP())}
}
