package main

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const script = "CREATE TABLE t (id int);\n"

// writeLock writes a lock of one set, "demo", whose one file has the given digest.
func writeLock(t *testing.T, digest string) string {
	t.Helper()
	lock := filepath.Join(t.TempDir(), "corpora.lock")
	text := "corpus demo\nrepository owner/demo\ncommit " + strings.Repeat("a", 40) + "\n" +
		"folder migrations <= db/migrations\nlicence LICENSE.upstream <= LICENSE\n" +
		"file " + digest + " migrations/V1__t.sql\n"
	if err := os.WriteFile(lock, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return lock
}

func sha(text string) string {
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:])
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func mirrorWith(t *testing.T, content string) string {
	mirror := t.TempDir()
	write(t, filepath.Join(mirror, "demo/migrations/V1__t.sql"), content)
	write(t, filepath.Join(mirror, "demo/LICENSE.upstream"), "licence\n")
	return mirror
}

func TestAMirrorFillsTheCacheOnceAndVerified(t *testing.T) {
	lock, cacheRoot := writeLock(t, sha(script)), t.TempDir()
	mirror := mirrorWith(t, script)
	dir, err := resolve(lock, cacheRoot, source{mirror: mirror})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "demo/migrations/V1__t.sql")); string(got) != script {
		t.Fatalf("cached script = %q", got)
	}
	if _, err := os.Stat(filepath.Join(dir, "demo/LICENSE.upstream")); err != nil {
		t.Fatalf("licence not kept: %v", err)
	}
	// A second call reads the cache: the mirror's copy is not needed any more.
	if err := os.RemoveAll(filepath.Join(mirror, "demo")); err != nil {
		t.Fatal(err)
	}
	if again, err := resolve(lock, cacheRoot, source{mirror: mirror}); err != nil || again != dir {
		t.Fatalf("second resolve = %q, %v", again, err)
	}
}

func TestAMirrorWhoseFileDiffersFromTheLockIsRefusedAndNothingIsCached(t *testing.T) {
	lock, cacheRoot := writeLock(t, sha(script)), t.TempDir()
	_, err := resolve(lock, cacheRoot, source{mirror: mirrorWith(t, script+"-- edited\n")})
	if err == nil || !strings.Contains(err.Error(), "migrations/V1__t.sql has SHA-256 "+sha(script+"-- edited\n")) ||
		!strings.Contains(err.Error(), "SCHEMAGATE_CORPORA_MIRROR") {
		t.Fatalf("want the digest mismatch and how to get the sets, got %v", err)
	}
	assertNothingCached(t, cacheRoot)
}

func TestAMirrorThatIsNoFolderSaysSoEvenWithTheSetsCached(t *testing.T) {
	lock, cacheRoot := writeLock(t, sha(script)), t.TempDir()
	if _, err := resolve(lock, cacheRoot, source{mirror: mirrorWith(t, script)}); err != nil {
		t.Fatal(err)
	}
	_, err := resolve(lock, cacheRoot, source{mirror: filepath.Join(t.TempDir(), "nothing")})
	if err == nil || !strings.Contains(err.Error(), "nothing is not a folder") {
		t.Fatalf("want 'is not a folder', got %v", err)
	}
}

// repository makes a git repository <base>/owner/demo holding the set at db/migrations, and
// returns the file:// base and the commit.
func repository(t *testing.T, content string) (string, string) {
	t.Helper()
	base := t.TempDir()
	repo := filepath.Join(base, "owner/demo")
	write(t, filepath.Join(repo, "db/migrations/V1__t.sql"), content)
	write(t, filepath.Join(repo, "LICENSE"), "licence\n")
	write(t, filepath.Join(repo, "src/main.rs"), "fn main() {}\n") // not part of the set
	run := func(args ...string) string {
		cmd := exec.Command("git", args...)
		cmd.Dir = repo
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.org",
			"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.org")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	run("init", "-q")
	run("config", "uploadpack.allowAnySHA1InWant", "true")
	run("config", "uploadpack.allowFilter", "true")
	run("add", ".")
	run("commit", "-qm", "scripts")
	return "file://" + base + "/", run("rev-parse", "HEAD")
}

func lockAt(t *testing.T, commit, digest string) string {
	lock := writeLock(t, digest)
	data, _ := os.ReadFile(lock)
	write(t, lock, strings.Replace(string(data), strings.Repeat("a", 40), commit, 1))
	return lock
}

func TestAFetchAtThePinnedCommitTakesOnlyTheSetsFiles(t *testing.T) {
	base, commit := repository(t, script)
	cacheRoot := t.TempDir()
	dir, err := resolve(lockAt(t, commit, sha(script)), cacheRoot, source{gitBase: base})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "demo/migrations/V1__t.sql")); string(got) != script {
		t.Fatalf("fetched script = %q", got)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "demo/LICENSE.upstream")); string(got) != "licence\n" {
		t.Fatalf("fetched licence = %q", got)
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "demo"))
	if len(entries) != 3 { // migrations/, LICENSE.upstream, .complete
		t.Fatalf("the set holds more than its files: %v", entries)
	}
}

func TestAFetchWhoseFileDiffersFromTheLockIsRefusedAndNothingIsCached(t *testing.T) {
	base, commit := repository(t, script+"-- changed upstream\n")
	cacheRoot := t.TempDir()
	_, err := resolve(lockAt(t, commit, sha(script)), cacheRoot, source{gitBase: base})
	if err == nil || !strings.Contains(err.Error(), "has SHA-256 "+sha(script+"-- changed upstream\n")) ||
		!strings.Contains(err.Error(), "fetched with git from "+base) {
		t.Fatalf("want the digest mismatch, got %v", err)
	}
	assertNothingCached(t, cacheRoot)
}

func TestAnUnreachableRepositorySaysWhatIsMissingAndHowToGetIt(t *testing.T) {
	lock := writeLock(t, sha(script))
	_, err := resolve(lock, t.TempDir(), source{gitBase: "file://" + t.TempDir() + "/"})
	for _, want := range []string{"demo (owner/demo at aaaaaaaaaaaa)", "git fetch", "../shared/corpora",
		"SCHEMAGATE_CORPORA_MIRROR", "corpora.lock"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("want %q in the message, got %v", want, err)
		}
	}
}

func TestTheProjectsLockNamesEverySetWithFiles(t *testing.T) {
	l, err := readLock("corpora.lock")
	if err != nil {
		t.Fatal(err)
	}
	names := []string{}
	for _, s := range l.sets {
		names = append(names, s.name)
	}
	want := "flyway-dependencytrack golang-migrate-harbor liquibase-traccar sqlx-quickwit sqlx-zero2prod"
	if strings.Join(names, " ") != want {
		t.Fatalf("sets = %v", names)
	}
}

func TestALockWithAFileOutsideItsFoldersIsRefused(t *testing.T) {
	lock := writeLock(t, sha(script))
	data, _ := os.ReadFile(lock)
	write(t, lock, strings.Replace(string(data), "migrations/V1__t.sql", "other/V1__t.sql", 1))
	if _, err := readLock(lock); err == nil || !strings.Contains(err.Error(), "lies in no folder") {
		t.Fatalf("want 'lies in no folder', got %v", err)
	}
}

func assertNothingCached(t *testing.T, cacheRoot string) {
	t.Helper()
	matches, _ := filepath.Glob(filepath.Join(cacheRoot, "*", "demo*"))
	if len(matches) > 0 {
		t.Fatalf("a refused set left %v in the cache", matches)
	}
}
