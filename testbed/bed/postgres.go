package main

import (
	"context"
	"crypto/rand"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"syscall"
)

const (
	pgSuperuser = "postgres" // so that psql with just PG* env vars finds its default database
	// pgOSUser runs the server: PostgreSQL refuses to run as root. Debian's postgresql
	// package creates it.
	pgOSUser = "postgres"
)

// Postgres is a throw-away PostgreSQL cluster in <state>/pg, reachable on 127.0.0.1 with a
// random superuser password (scram-sha-256), its unix socket in <state>/pgsock.
type Postgres struct {
	BinDir   string
	Port     int
	User     string
	Password string
	// osUser is who the server runs as: PostgreSQL refuses to run as root.
	osUser *syscall.Credential
}

// findPostgresBin picks the newest /usr/lib/postgresql/<major>/bin that has a server.
func findPostgresBin() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return majorOf(dirs[i]) > majorOf(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "postgres")); err == nil {
			return d, nil
		}
	}
	return "", fmt.Errorf("no PostgreSQL server in /usr/lib/postgresql/*/bin (install the Debian package postgresql-15)")
}

func majorOf(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

// createPostgres creates the cluster (initdb) with a fresh random superuser password.
func (b *Bed) createPostgres() error {
	bin, err := findPostgresBin()
	if err != nil {
		return err
	}
	u, err := user.Lookup(pgOSUser)
	if err != nil {
		return fmt.Errorf("user %q not found (install the Debian package postgresql-15): %w", pgOSUser, err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := checkTraversable(b.State, uid, gid); err != nil {
		return err
	}

	secret := make([]byte, 16)
	if _, err := rand.Read(secret); err != nil {
		return err
	}
	b.pg = &Postgres{BinDir: bin, Port: b.ports.postgres, User: pgSuperuser, Password: hex.EncodeToString(secret),
		osUser: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), NoSetGroups: false}}

	data, sock, pwfile := b.statePath("pg"), b.statePath("pgsock"), b.statePath("pg-pwfile")
	for _, d := range []string{data, sock} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return err
		}
		if err := os.Chown(d, uid, gid); err != nil {
			return err
		}
	}
	if err := os.WriteFile(pwfile, []byte(b.pg.Password+"\n"), 0o600); err != nil {
		return err
	}
	defer os.Remove(pwfile)
	if err := os.Chown(pwfile, uid, gid); err != nil {
		return err
	}

	if err := b.createPostgresTLS(uid, gid); err != nil {
		return fmt.Errorf("certificates: %w", err)
	}

	initdb := exec.Command(filepath.Join(bin, "initdb"),
		"-D", data, "-U", pgSuperuser, "--pwfile="+pwfile,
		"--auth-host=scram-sha-256", "--auth-local=trust", // local = the socket inside <state>
		"-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions")
	b.asPostgresUser(initdb)
	if err := b.sup.RunOnce(initdb, b.logPath("initdb")); err != nil {
		return err
	}
	if b.node == nil {
		return nil
	}
	// The real node's pods log in as any client does, from their own addresses.
	hba, err := os.OpenFile(filepath.Join(data, "pg_hba.conf"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(hba, "host all all %s scram-sha-256\nhost all all %s/32 scram-sha-256\n",
		b.node.podCIDR(), b.node.nodeIP())
	if closeErr := hba.Close(); err == nil {
		err = closeErr
	}
	return err
}

// createPostgresTLS gives the server a certificate for 127.0.0.1 and localhost from a CA of its
// own, as a managed database has: clients that verify it need that CA, not the cluster's. Files
// live in <state>/pg-tls, owned by the server's user (PostgreSQL refuses a key others can read).
func (b *Bed) createPostgresTLS(uid, gid int) error {
	dir := b.statePath("pg-tls")
	ca, err := newCA(dir, "schemagate-testbed-postgres-ca")
	if err != nil {
		return err
	}
	if err := ca.issue("server", "localhost", nil, x509.ExtKeyUsageServerAuth,
		append([]net.IP{net.ParseIP("127.0.0.1")}, b.apiserverHostIPs()...), []string{"localhost"}); err != nil {
		return err
	}
	for _, name := range []string{"", "ca.crt", "ca.key", "server.crt", "server.key"} {
		if err := os.Chown(filepath.Join(dir, name), uid, gid); err != nil {
			return err
		}
	}
	return nil
}

// startPostgresServer starts the server on the cluster createPostgres made; the bed starts it
// again the same way after `bed postgres stop`, so clients find the same port, password and
// databases.
func (b *Bed) startPostgresServer() error {
	server := exec.Command(filepath.Join(b.pg.BinDir, "postgres"), "-D", b.statePath("pg"),
		"-c", "listen_addresses="+b.postgresAddresses(),
		"-c", "port="+strconv.Itoa(b.pg.Port),
		"-c", "unix_socket_directories="+b.statePath("pgsock"),
		"-c", "password_encryption=scram-sha-256",
		// TLS as managed databases offer it; clients choose with sslmode (libpq and pgjdbc prefer it).
		"-c", "ssl=on",
		"-c", "ssl_cert_file="+b.statePath("pg-tls/server.crt"),
		"-c", "ssl_key_file="+b.statePath("pg-tls/server.key"),
		// Durability is worthless for a throw-away test database; speed is not.
		"-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
		"-c", "shared_buffers=32MB", "-c", "max_connections=100",
		"-c", "logging_collector=off")
	b.asPostgresUser(server)
	// SIGINT is PostgreSQL's "fast" shutdown (what pg_ctl stop -m fast sends).
	_, err := b.sup.Start("postgres", server, b.logPath("postgres"), syscall.SIGINT)
	return err
}

// postgresAddresses: loopback, and where the real node's pods reach the host, when it runs.
func (b *Bed) postgresAddresses() string {
	if b.node == nil {
		return "127.0.0.1"
	}
	return "127.0.0.1," + b.node.hostIP()
}

func (b *Bed) asPostgresUser(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: b.pg.osUser}
	cmd.Env = []string{"PATH=/usr/bin:/bin", "LC_ALL=C", "HOME=" + b.statePath("pg")}
	cmd.Dir = b.statePath("pg")
}

func (b *Bed) waitPostgres(ctx context.Context) error {
	return b.poll(ctx, "postgres", func() (bool, error) {
		cmd := exec.CommandContext(ctx, filepath.Join(b.pg.BinDir, "pg_isready"), "-q",
			"-h", "127.0.0.1", "-p", strconv.Itoa(b.pg.Port), "-U", b.pg.User, "-d", "postgres")
		return cmd.Run() == nil, nil
	})
}

// checkTraversable fails early, with a useful message, when the PostgreSQL user cannot reach
// the state directory (e.g. under a 0700 temp dir); the server would fail obscurely.
func checkTraversable(dir string, uid, gid int) error {
	for d := dir; ; d = filepath.Dir(d) {
		st, err := os.Stat(d)
		if err != nil {
			return err
		}
		sys := st.Sys().(*syscall.Stat_t)
		mode := st.Mode().Perm()
		ok := mode&0o001 != 0 ||
			(int(sys.Gid) == gid && mode&0o010 != 0) ||
			(int(sys.Uid) == uid && mode&0o100 != 0)
		if !ok {
			return fmt.Errorf("user %s cannot enter %s (mode %o); PostgreSQL keeps its data in the state dir, so choose a state dir whose parents are world-executable (e.g. under /tmp)", pgOSUser, d, mode)
		}
		if d == "/" {
			return nil
		}
	}
}
