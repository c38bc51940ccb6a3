package main

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"time"

	"schemagate.io/testbed/bed/executor"
)

// kubeletAPI serves the one kubelet endpoint the bed supports, /containerLogs, for the pods
// the executor runs; the node advertises its port, so `kubectl logs` (via the apiserver)
// works. Only the apiserver's kubelet client certificate (signed by the bed's CA) is accepted.
type kubeletAPI struct {
	srv *http.Server
}

func serveKubeletAPI(l net.Listener, pki *PKI, ex *executor.Executor) *kubeletAPI {
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pki.CAPEM)
	cert, err := tls.LoadX509KeyPair(pki.Path("apiserver.crt"), pki.Path("apiserver.key"))
	if err != nil {
		logf("kubelet API disabled: %v", err)
		l.Close()
		return nil
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /containerLogs/{namespace}/{pod}/{container}", func(w http.ResponseWriter, r *http.Request) {
		serveLogs(w, r, ex)
	})
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok") })
	srv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 10 * time.Second,
		TLSConfig: &tls.Config{
			Certificates: []tls.Certificate{cert},
			ClientAuth:   tls.RequireAndVerifyClientCert,
			ClientCAs:    pool,
		},
		ErrorLog: nil,
	}
	go func() {
		if err := srv.ServeTLS(l, "", ""); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logf("kubelet API: %v", err)
		}
	}()
	return &kubeletAPI{srv: srv}
}

func (k *kubeletAPI) Close() {
	if k != nil {
		k.srv.Close()
	}
}

// serveLogs implements the query parameters kubectl uses: follow, previous, tailLines and
// limitBytes (timestamps and sinceSeconds are ignored: the log has no timestamps).
func serveLogs(w http.ResponseWriter, r *http.Request, ex *executor.Executor) {
	ns, pod, container := r.PathValue("namespace"), r.PathValue("pod"), r.PathValue("container")
	q := r.URL.Query()
	previous := q.Get("previous") == "true"
	path, running, ok := ex.LogFile(ns, pod, container, previous)
	if !ok {
		http.Error(w, fmt.Sprintf("the test bed keeps logs only for Job pods it runs; no log for container %q in pod %s/%s", container, ns, pod), http.StatusNotFound)
		return
	}
	data, err := os.ReadFile(path)
	if err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	offset := int64(len(data))
	if n, err := strconv.Atoi(q.Get("tailLines")); err == nil && n >= 0 {
		data = lastLines(data, n)
	}
	limit := int64(-1)
	if n, err := strconv.ParseInt(q.Get("limitBytes"), 10, 64); err == nil && n > 0 {
		limit = n
	}
	out := &limitedWriter{w: w, left: limit}
	w.Header().Set("Content-Type", "text/plain")
	if _, err := out.Write(data); err != nil || q.Get("follow") != "true" || !running {
		return
	}
	// Follow: stream what is appended until the container has exited and all is read.
	f, err := os.Open(path)
	if err != nil {
		return
	}
	defer f.Close()
	flusher, _ := w.(http.Flusher)
	buf := make([]byte, 32*1024)
	for {
		n, _ := f.ReadAt(buf, offset)
		if n > 0 {
			offset += int64(n)
			if _, err := out.Write(buf[:n]); err != nil {
				return
			}
			if flusher != nil {
				flusher.Flush()
			}
			continue
		}
		if _, running, _ := ex.LogFile(ns, pod, container, previous); !running {
			if n, _ := f.ReadAt(buf, offset); n == 0 {
				return
			}
			continue
		}
		select {
		case <-r.Context().Done():
			return
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func lastLines(data []byte, n int) []byte {
	if n == 0 {
		return nil
	}
	end := len(data)
	if end > 0 && data[end-1] == '\n' {
		end--
	}
	for i := end - 1; i >= 0; i-- {
		if data[i] == '\n' {
			n--
			if n == 0 {
				return data[i+1:]
			}
		}
	}
	return data
}

type limitedWriter struct {
	w    io.Writer
	left int64 // -1: unlimited
}

var errLimit = errors.New("limit reached")

func (l *limitedWriter) Write(p []byte) (int, error) {
	if l.left < 0 {
		return l.w.Write(p)
	}
	if l.left == 0 {
		return 0, errLimit
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.w.Write(p)
	l.left -= int64(n)
	return n, err
}
