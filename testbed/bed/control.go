package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// The control channel lets fault-injection tests stop and start the PostgreSQL of a running
// bed and restart its kube-apiserver. The running `bed up` serves HTTP on the unix socket
// <state>/control.sock (mode 0600: only the bed's own user may drive it); `bed postgres
// stop|start` and `bed apiserver restart` are its clients. A request returns once its
// operation is complete, so the caller can act on the new state right away.

const controlSocket = "control.sock"

// controlTimeout bounds one operation; each takes seconds.
const controlTimeout = 2 * time.Minute

// controlOp is one operation, named by its request path ("postgres/stop").
type controlOp func(ctx context.Context) error

// controlOps are the operations of the control channel.
func (b *Bed) controlOps() map[string]controlOp {
	return map[string]controlOp{
		"postgres/stop":     b.stopPostgres,
		"postgres/start":    b.startStoppedPostgres,
		"apiserver/restart": b.restartAPIServer,
	}
}

// stopPostgres stops the server deliberately and returns once its port is closed.
func (b *Bed) stopPostgres(ctx context.Context) error {
	if err := b.sup.Stop("postgres", componentStopTimeout); err != nil {
		return err
	}
	return b.poll(ctx, "the postgres port to close", func() (bool, error) {
		return !accepting(b.pg.Port), nil
	})
}

// startStoppedPostgres starts the server again on the same data, port and password, and
// returns once it accepts connections. A running server is left alone.
func (b *Bed) startStoppedPostgres(ctx context.Context) error {
	if !b.sup.Running("postgres") {
		if err := b.startPostgresServer(); err != nil {
			return err
		}
	}
	return b.waitPostgres(ctx)
}

// restartAPIServer stops the apiserver and starts it again with the same flags (port,
// certificates, etcd), returning once /readyz is ok. Its clients (controllers, KWOK, the
// executor, tests) reconnect on their own.
func (b *Bed) restartAPIServer(ctx context.Context) error {
	if err := b.sup.Stop("kube-apiserver", componentStopTimeout); err != nil {
		return err
	}
	if err := b.startAPIServer(); err != nil {
		return err
	}
	return b.waitAPIServer(ctx)
}

func accepting(port int) bool {
	c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), time.Second)
	if err == nil {
		c.Close()
	}
	return err == nil
}

// controlServer serves the control socket, one operation at a time: they change the same
// components.
type controlServer struct {
	path   string
	srv    *http.Server
	cancel context.CancelFunc
	mu     sync.Mutex
}

func serveControl(path string, ops map[string]controlOp) (*controlServer, error) {
	// A socket file left by a killed bed would make Listen fail; the state lock says that
	// no other bed uses it.
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	l, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("control socket: %w", err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		l.Close()
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	c := &controlServer{path: path, cancel: cancel}
	mux := http.NewServeMux()
	for name, op := range ops {
		mux.HandleFunc("POST /"+name, c.handler(name, op))
	}
	c.srv = &http.Server{
		Handler:           mux,
		BaseContext:       func(net.Listener) context.Context { return ctx },
		ReadHeaderTimeout: 10 * time.Second,
	}
	go func() {
		if err := c.srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logf("control socket: %v", err)
		}
	}()
	return c, nil
}

func (c *controlServer) handler(name string, op controlOp) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c.mu.Lock()
		defer c.mu.Unlock()
		ctx, cancel := context.WithTimeoutCause(r.Context(), controlTimeout,
			fmt.Errorf("%s did not finish within %s", name, controlTimeout))
		defer cancel()
		if ctx.Err() != nil { // the bed is shutting down
			http.Error(w, "the test bed is shutting down", http.StatusServiceUnavailable)
			return
		}
		logf("control: %s", name)
		if err := op(ctx); err != nil {
			logf("control: %s failed: %v", name, err)
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		logf("control: %s done", name)
		io.WriteString(w, "ok\n")
	}
}

// Close cancels the operation in flight, waits until it has returned, and removes the
// socket: the bed can then stop its components without an operation racing it.
func (c *controlServer) Close() {
	c.cancel()
	c.srv.Close()
	c.mu.Lock()
	defer c.mu.Unlock()
	os.Remove(c.path)
}

// cmdControl runs a control verb of a component: `bed postgres stop --state DIR`.
func cmdControl(component string, verbs []string, args []string) error {
	usage := fmt.Errorf("usage: bed %s %s --state DIR", component, strings.Join(verbs, "|"))
	if len(args) == 0 || !slices.Contains(verbs, args[0]) {
		return usage
	}
	state, rest, err := stateFlag(component+" "+args[0], args[1:])
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usage
	}
	return requestControl(state, component+"/"+args[0])
}

// requestControl asks the bed running in state to perform op and waits until it is done.
func requestControl(state, op string) error {
	if !locked(state) {
		return fmt.Errorf("no test bed running in %s", state)
	}
	socket := filepath.Join(state, controlSocket)
	client := &http.Client{
		Timeout: controlTimeout + 10*time.Second,
		Transport: &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", socket)
		}},
	}
	resp, err := client.Post("http://bed/"+op, "text/plain", nil)
	if err != nil {
		return fmt.Errorf("%s: %w (is the test bed in %s ready?)", op, err, state)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s: %s", op, strings.TrimSpace(string(body)))
	}
	logf("%s: done", op)
	return nil
}
