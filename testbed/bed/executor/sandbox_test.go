package executor

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// A mount point below a read-only shared directory must not be created inside the bind
// mount: the directory is rebuilt entry by entry instead.
func TestBindTreeSplitsAroundMountPoints(t *testing.T) {
	root := t.TempDir()
	for _, d := range []string{"etc/ssl", "etc/app"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("ssl", filepath.Join(root, "etc/certs")); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(bindTree(nil, filepath.Join(root, "etc"), "/etc", []string{"/etc/app/config.yaml"}), " ")
	want := strings.Join([]string{
		"--dir /etc",
		"--dir /etc/app",
		"--symlink ssl /etc/certs",
		"--ro-bind " + filepath.Join(root, "etc/ssl") + " /etc/ssl",
	}, " ")
	if got != want {
		t.Errorf("bindTree:\n got %s\nwant %s", got, want)
	}
	whole := bindTree(nil, filepath.Join(root, "etc"), "/etc", []string{"/var/x"})
	if !slices.Equal(whole, []string{"--ro-bind", filepath.Join(root, "etc"), "/etc"}) {
		t.Errorf("unrelated mount split the tree: %v", whole)
	}
}

// A distroless image's container sees its own files only: no host shell, no host cp.
func TestDistrolessImageSharesNoHostDirectory(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "app/db"), 0o755); err != nil {
		t.Fatal(err)
	}
	box := func(distroless bool) string {
		s := &sandbox{hostname: "p", image: &image{ref: "acme/app", root: root, config: imageConfig{Distroless: distroless}},
			termPath: "/dev/termination-log", termFile: "/tmp/t", workDir: "/", argv: []string{"/app/run"}}
		return strings.Join(s.args("/bed"), " ")
	}
	if got := box(true); strings.Contains(got, " /usr") || strings.Contains(got, " /bin") ||
		!strings.Contains(got, "--ro-bind "+filepath.Join(root, "app")+" /app") {
		t.Errorf("distroless sandbox: %s", got)
	}
	if got := box(false); !strings.Contains(got, "--ro-bind /usr /usr") {
		t.Errorf("sandbox of an ordinary image lacks the host's /usr: %s", got)
	}
}
