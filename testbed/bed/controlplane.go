package main

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

const serviceAccountIssuer = "https://kubernetes.default.svc"

func (b *Bed) startEtcd() error {
	client, peer := "http://127.0.0.1:"+strconv.Itoa(b.ports.etcdClient), "http://127.0.0.1:"+strconv.Itoa(b.ports.etcdPeer)
	cmd := exec.Command(b.binPath("etcd"),
		"--name=bed",
		"--data-dir="+b.statePath("etcd"),
		"--listen-client-urls="+client, "--advertise-client-urls="+client,
		"--listen-peer-urls="+peer, "--initial-advertise-peer-urls="+peer,
		"--initial-cluster=bed="+peer,
		"--unsafe-no-fsync", // throw-away data; fsync only costs time
		"--log-level=warn",
	)
	_, err := b.sup.Start("etcd", cmd, b.logPath("etcd"), syscall.SIGTERM)
	return err
}

func (b *Bed) waitEtcd(ctx context.Context) error {
	url := fmt.Sprintf("http://127.0.0.1:%d/health", b.ports.etcdClient)
	return b.poll(ctx, "etcd", func() (bool, error) {
		body, err := httpGet(url, false)
		return err == nil && strings.Contains(body, `"health":"true"`), nil
	})
}

func (b *Bed) startAPIServer() error {
	pki := b.pki
	cmd := exec.Command(b.binPath("kube-apiserver"),
		"--etcd-servers=http://127.0.0.1:"+strconv.Itoa(b.ports.etcdClient),
		"--secure-port="+strconv.Itoa(b.ports.apiserver),
		"--tls-cert-file="+pki.Path("apiserver.crt"),
		"--tls-private-key-file="+pki.Path("apiserver.key"),
		"--client-ca-file="+pki.Path("ca.crt"),
		"--authorization-mode=Node,RBAC",
		"--service-account-issuer="+serviceAccountIssuer,
		"--service-account-key-file="+pki.Path("sa.pub"),
		"--service-account-signing-key-file="+pki.Path("sa.key"),
		"--service-cluster-ip-range=10.96.0.0/16",
		"--allow-privileged=true",
		// `kubectl logs` of Job pods: the apiserver calls the node's kubelet endpoint, which
		// is served by the bed itself (see kubeletapi.go) on the node's InternalIP.
		"--kubelet-client-certificate="+pki.Path("kubelet-client.crt"),
		"--kubelet-client-key="+pki.Path("kubelet-client.key"),
		"--kubelet-certificate-authority="+pki.Path("ca.crt"),
		"--kubelet-preferred-address-types=InternalIP",
		// On SIGTERM, shut the HTTP server down within 2s instead of waiting up to a minute
		// for the watches of the controllers, KWOK and the executor, which stay connected
		// during `bed apiserver restart`: they get a GOAWAY and reconnect to the new one.
		"--shutdown-send-retry-after=true",
		"--profiling=false",
	)
	cmd.Args = append(cmd.Args, b.apiserverNetworkFlags()...)
	_, err := b.sup.Start("kube-apiserver", cmd, b.logPath("kube-apiserver"), syscall.SIGTERM)
	return err
}

// apiserverNetworkFlags say where the API server is reached from. Without a real node: loopback
// only; endpoints may not hold loopback addresses, so it cannot publish itself as the endpoint of
// the `kubernetes` Service, and the executor's pods reach it through KUBERNETES_SERVICE_HOST=
// 127.0.0.1 instead. With one: also the host's end of the node's link, published as that
// endpoint for kube-proxy; webhooks are called on their pods' addresses, which the host routes
// to the node (the host runs no kube-proxy of its own); and namespaces may place all their pods
// on the node (node.go).
func (b *Bed) apiserverNetworkFlags() []string {
	if b.node == nil {
		return []string{"--bind-address=127.0.0.1", "--advertise-address=127.0.0.1", "--endpoint-reconciler-type=none"}
	}
	return []string{"--bind-address=0.0.0.0", "--advertise-address=" + b.node.hostIP(),
		"--enable-aggregator-routing=true",
		"--enable-admission-plugins=NodeRestriction,PodNodeSelector,PodTolerationRestriction"}
}

func (b *Bed) waitAPIServer(ctx context.Context) error {
	return b.poll(ctx, "kube-apiserver /readyz", func() (bool, error) {
		body, err := b.client.Discovery().RESTClient().Get().AbsPath("/readyz").DoRaw(ctx)
		return err == nil && string(body) == "ok", nil
	})
}

// writeKubeconfig writes the admin kubeconfig with embedded credentials, so that it can be
// copied elsewhere, and builds the bed's own client from it.
func (b *Bed) writeKubeconfig() error {
	cfg, err := kubeconfigFor(b.apiserverURL(), b.pki, "admin")
	if err != nil {
		return err
	}
	if err := clientcmd.WriteToFile(*cfg, b.kubeconfig()); err != nil {
		return err
	}
	rc, err := clientcmd.NewDefaultClientConfig(*cfg, nil).ClientConfig()
	if err != nil {
		return err
	}
	rc.QPS, rc.Burst = 50, 100
	b.client, err = kubernetes.NewForConfig(rc)
	return err
}

// kubeconfigFor is a kubeconfig of the identity whose certificate the PKI holds as <identity>.crt.
func kubeconfigFor(server string, pki *PKI, identity string) (*clientcmdapi.Config, error) {
	cert, err := os.ReadFile(pki.Path(identity + ".crt"))
	if err != nil {
		return nil, err
	}
	key, err := os.ReadFile(pki.Path(identity + ".key"))
	if err != nil {
		return nil, err
	}
	cfg := clientcmdapi.NewConfig()
	cfg.Clusters["schemagate-testbed"] = &clientcmdapi.Cluster{Server: server, CertificateAuthorityData: pki.CAPEM}
	cfg.AuthInfos[identity] = &clientcmdapi.AuthInfo{ClientCertificateData: cert, ClientKeyData: key}
	cfg.Contexts["schemagate-testbed"] = &clientcmdapi.Context{Cluster: "schemagate-testbed", AuthInfo: identity, Namespace: "default"}
	cfg.CurrentContext = "schemagate-testbed"
	return cfg, nil
}

func writeKubeconfigFor(path, server string, pki *PKI, identity string) error {
	cfg, err := kubeconfigFor(server, pki, identity)
	if err != nil {
		return err
	}
	return clientcmd.WriteToFile(*cfg, path)
}

// startControllers starts kube-controller-manager and kube-scheduler. Both use the admin
// kubeconfig: the bed is single-user and short-lived, per-component identities buy nothing.
func (b *Bed) startControllers() error {
	pki := b.pki
	kcm := exec.Command(b.binPath("kube-controller-manager"),
		"--kubeconfig="+b.kubeconfig(),
		"--leader-elect=false",
		"--bind-address=127.0.0.1",
		"--secure-port="+strconv.Itoa(b.ports.kcm),
		"--controllers=*",
		"--use-service-account-credentials=false",
		"--service-account-private-key-file="+pki.Path("sa.key"),
		"--root-ca-file="+pki.Path("ca.crt"),
		"--cluster-signing-cert-file="+pki.Path("ca.crt"),
		"--cluster-signing-key-file="+pki.Path("ca.key"),
		"--profiling=false",
	)
	if _, err := b.sup.Start("kube-controller-manager", kcm, b.logPath("kube-controller-manager"), syscall.SIGTERM); err != nil {
		return err
	}
	sched := exec.Command(b.binPath("kube-scheduler"),
		"--kubeconfig="+b.kubeconfig(),
		"--leader-elect=false",
		"--bind-address=127.0.0.1",
		"--secure-port="+strconv.Itoa(b.ports.scheduler),
		"--profiling=false",
	)
	_, err := b.sup.Start("kube-scheduler", sched, b.logPath("kube-scheduler"), syscall.SIGTERM)
	return err
}

func (b *Bed) waitControllers(ctx context.Context) error {
	for name, port := range map[string]int{"kube-controller-manager": b.ports.kcm, "kube-scheduler": b.ports.scheduler} {
		url := fmt.Sprintf("https://127.0.0.1:%d/healthz", port)
		if err := b.poll(ctx, name+" /healthz", func() (bool, error) {
			body, err := httpGet(url, true)
			return err == nil && body == "ok", nil
		}); err != nil {
			return err
		}
	}
	// The controller manager creates the default ServiceAccount; pods cannot be created
	// before it exists (ServiceAccount admission), so it is part of "usable".
	return b.poll(ctx, "ServiceAccount default/default", func() (bool, error) {
		_, err := b.client.CoreV1().ServiceAccounts("default").Get(ctx, "default", metav1.GetOptions{})
		return err == nil, nil
	})
}

// httpGet fetches a health endpoint. kcm and the scheduler serve self-signed certificates
// on their secure ports, hence insecure for those.
func httpGet(url string, insecure bool) (string, error) {
	client := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{InsecureSkipVerify: insecure},
	}}
	resp, err := client.Get(url)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return string(body), fmt.Errorf("%s: %s", url, resp.Status)
	}
	return string(body), err
}
