package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path"
	"regexp"
	"strings"
)

// lock is what corpora.lock records: the sets, and a digest of the whole file, which names the
// cache folder so that a changed lock never reads a set verified against an older one.
type lock struct {
	sets   []*set
	digest string
}

// set is one published migration set: where it comes from and the files it holds.
type set struct {
	name       string
	repository string // owner/name
	commit     string
	folders    []mapping // local folder <= folder of the repository
	licences   []mapping // local file <= file of the repository
	files      []file
}

type mapping struct{ local, upstream string }

type file struct {
	sha256 string
	path   string // local, relative to the set's folder
}

var (
	hexDigest = regexp.MustCompile(`^[0-9a-f]{64}$`)
	commitID  = regexp.MustCompile(`^[0-9a-f]{40}$`)
	setName   = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]*$`)
)

func readLock(lockPath string) (*lock, error) {
	data, err := os.ReadFile(lockPath)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	l := &lock{digest: hex.EncodeToString(sum[:])[:12]}
	scanner := bufio.NewScanner(bytes.NewReader(data))
	line := 0
	fail := func(format string, args ...any) error {
		return fmt.Errorf("%s:%d: %s", lockPath, line, fmt.Sprintf(format, args...))
	}
	var current *set
	for scanner.Scan() {
		line++
		text := strings.TrimSpace(scanner.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		key, value, _ := strings.Cut(text, " ")
		if key != "corpus" && current == nil {
			return nil, fail("%q before the first 'corpus' line", key)
		}
		switch key {
		case "corpus":
			if !setName.MatchString(value) {
				return nil, fail("corpus name %q: lower-case letters, digits, '.' and '-'", value)
			}
			current = &set{name: value}
			l.sets = append(l.sets, current)
		case "repository":
			current.repository = value
		case "commit":
			if !commitID.MatchString(value) {
				return nil, fail("commit %q is not a full commit id", value)
			}
			current.commit = value
		case "folder", "licence":
			local, upstream, ok := strings.Cut(value, " <= ")
			if !ok || !relative(local) || !relative(upstream) {
				return nil, fail("want '%s LOCAL <= UPSTREAM' with relative paths, got %q", key, value)
			}
			m := mapping{local: local, upstream: upstream}
			if key == "folder" {
				current.folders = append(current.folders, m)
			} else {
				current.licences = append(current.licences, m)
			}
		case "file":
			digest, filePath, ok := strings.Cut(value, " ")
			if !ok || !hexDigest.MatchString(digest) || !relative(filePath) {
				return nil, fail("want 'file SHA256 PATH', got %q", value)
			}
			current.files = append(current.files, file{sha256: digest, path: filePath})
		default:
			return nil, fail("unknown key %q", key)
		}
	}
	if err := scanner.Err(); err != nil {
		return nil, err
	}
	for _, s := range l.sets {
		if err := s.complete(); err != nil {
			return nil, fmt.Errorf("%s: corpus %s: %w", lockPath, s.name, err)
		}
	}
	return l, nil
}

func (s *set) complete() error {
	switch {
	case s.repository == "" || s.commit == "":
		return fmt.Errorf("needs a repository and a commit")
	case len(s.files) == 0:
		return fmt.Errorf("lists no files")
	}
	for _, f := range s.files {
		if _, ok := s.upstreamPath(f.path); !ok {
			return fmt.Errorf("file %s lies in no folder of the set", f.path)
		}
	}
	return nil
}

// upstreamPath is where a file of the set lies in its repository.
func (s *set) upstreamPath(local string) (string, bool) {
	for _, m := range s.folders {
		if rest, ok := strings.CutPrefix(local, m.local+"/"); ok {
			return m.upstream + "/" + rest, true
		}
	}
	return "", false
}

// relative holds for a clean relative path that stays inside its folder.
func relative(p string) bool {
	return p != "" && !path.IsAbs(p) && path.Clean(p) == p && p != ".." && !strings.HasPrefix(p, "../")
}
