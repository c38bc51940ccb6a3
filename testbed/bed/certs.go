package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// PKI holds the bed's certificates, generated fresh for every start (ECDSA P-256 is fast to
// generate and understood by every component). Files live in <state>/pki:
//
//	ca.crt/.key               signs everything below; also the kubelet client CA
//	apiserver.crt/.key        serving cert for 127.0.0.1/localhost, the `kubernetes` Service and the
//	                          real node's way to the host (also used by the bed's kubelet API)
//	admin.crt/.key            CN=admin, O=system:masters: kubeconfig of users and components
//	kubelet-client.crt/.key   the apiserver's client cert towards the (bed's) kubelet API
//	sa.key/sa.pub             service-account token signing pair
//	node, node-serving, kube-proxy   the real node's identities (node.go), when it runs
type PKI struct {
	Dir    string
	caCert *x509.Certificate
	caKey  *ecdsa.PrivateKey
	CAPEM  []byte
}

func (p *PKI) Path(name string) string { return filepath.Join(p.Dir, name) }

func newPKI(dir string, hostIPs []net.IP) (*PKI, error) {
	p, err := newCA(dir, "schemagate-testbed-ca")
	if err != nil {
		return nil, err
	}
	addresses := append([]net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("10.96.0.1")}, hostIPs...)
	if err := p.issue("apiserver", "kube-apiserver", nil, x509.ExtKeyUsageServerAuth, addresses,
		[]string{"localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc",
			"kubernetes.default.svc.cluster.local"}); err != nil {
		return nil, err
	}
	if err := p.issue("admin", "admin", []string{"system:masters"}, x509.ExtKeyUsageClientAuth, nil, nil); err != nil {
		return nil, err
	}
	if err := p.issue("kubelet-client", "kube-apiserver-kubelet-client", []string{"system:masters"},
		x509.ExtKeyUsageClientAuth, nil, nil); err != nil {
		return nil, err
	}

	saKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	if err := writeKey(p.Path("sa.key"), saKey); err != nil {
		return nil, err
	}
	pub, err := x509.MarshalPKIXPublicKey(&saKey.PublicKey)
	if err != nil {
		return nil, err
	}
	return p, os.WriteFile(p.Path("sa.pub"), pemBlock("PUBLIC KEY", pub), 0o644)
}

// newCA creates dir with a fresh certificate authority in it (ca.crt/.key), ready to issue.
func newCA(dir, cn string) (*PKI, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	p := &PKI{Dir: dir}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		Subject:               pkix.Name{CommonName: cn},
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := p.sign(tmpl, &key.PublicKey, nil, key)
	if err != nil {
		return nil, err
	}
	p.caCert, _ = x509.ParseCertificate(der)
	p.caKey = key
	p.CAPEM = pemBlock("CERTIFICATE", der)
	return p, writePair(p.Path("ca"), der, key)
}

// issue writes <name>.crt and <name>.key signed by the CA.
func (p *PKI) issue(name, cn string, orgs []string, usage x509.ExtKeyUsage, ips []net.IP, dns []string) error {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	tmpl := &x509.Certificate{
		Subject:     pkix.Name{CommonName: cn, Organization: orgs},
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage: []x509.ExtKeyUsage{usage},
		IPAddresses: ips,
		DNSNames:    dns,
	}
	der, err := p.sign(tmpl, &key.PublicKey, p.caCert, p.caKey)
	if err != nil {
		return err
	}
	return writePair(p.Path(name), der, key)
}

func (p *PKI) sign(tmpl *x509.Certificate, pub *ecdsa.PublicKey, parent *x509.Certificate, signer *ecdsa.PrivateKey) ([]byte, error) {
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return nil, err
	}
	tmpl.SerialNumber = serial
	tmpl.NotBefore = time.Now().Add(-time.Hour) // tolerate small clock differences
	tmpl.NotAfter = time.Now().Add(365 * 24 * time.Hour)
	if parent == nil {
		parent = tmpl
	}
	return x509.CreateCertificate(rand.Reader, tmpl, parent, pub, signer)
}

func writePair(base string, der []byte, key *ecdsa.PrivateKey) error {
	if err := os.WriteFile(base+".crt", pemBlock("CERTIFICATE", der), 0o644); err != nil {
		return err
	}
	return writeKey(base+".key", key)
}

func writeKey(path string, key *ecdsa.PrivateKey) error {
	der, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return err
	}
	return os.WriteFile(path, pemBlock("EC PRIVATE KEY", der), 0o600)
}

func pemBlock(typ string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}
