package main

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// source says where a set missing from the cache comes from.
type source struct {
	mirror  string // a folder in the shared layout; when set, nothing is fetched
	gitBase string
}

// cache keeps verified sets in <root>/<lock digest>/<set>, each marked complete by a file
// written last, so that an interrupted fill is never taken for a set.
type cache struct {
	root       string
	lockDigest string
}

const completeMarker = ".complete"

func (c cache) folder() string          { return filepath.Join(c.root, c.lockDigest) }
func (c cache) setFolder(s *set) string { return filepath.Join(c.folder(), s.name) }
func (c cache) markerOf(s *set) string  { return filepath.Join(c.setFolder(s), completeMarker) }
func (c cache) has(s *set) bool         { _, err := os.Stat(c.markerOf(s)); return err == nil }
func (c cache) staging(s *set) string   { return c.setFolder(s) + ".partial" }

// fill obtains the set, verifies every file and moves it into place.
func (c cache) fill(s *set, from source) error {
	staging := c.staging(s)
	if err := os.RemoveAll(staging); err != nil {
		return err
	}
	if err := os.MkdirAll(staging, 0o755); err != nil {
		return err
	}
	defer os.RemoveAll(staging)
	var err error
	if from.mirror != "" {
		err = copyFromMirror(s, from.mirror, staging)
	} else {
		err = fetch(s, from.gitBase, staging)
	}
	if err != nil {
		return err
	}
	if err := verify(s, staging); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(staging, completeMarker), nil, 0o644); err != nil {
		return err
	}
	if err := os.RemoveAll(c.setFolder(s)); err != nil {
		return err
	}
	return os.Rename(staging, c.setFolder(s))
}

// copyFromMirror copies the set's files and licences out of <mirror>/<set>.
func copyFromMirror(s *set, mirror, into string) error {
	from := filepath.Join(mirror, s.name)
	for _, f := range s.files {
		if err := copyFile(filepath.Join(from, f.path), filepath.Join(into, f.path)); err != nil {
			return fmt.Errorf("not in the mirror: %w", err)
		}
	}
	for _, l := range s.licences {
		// A licence is kept where the mirror has it; its scripts are what the tests need.
		if err := copyFile(filepath.Join(from, l.local), filepath.Join(into, l.local)); err != nil &&
			!errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

// verify holds the staged set to the lock: every file it lists, with its digest.
func verify(s *set, staged string) error {
	for _, f := range s.files {
		got, err := digestOf(filepath.Join(staged, f.path))
		if err != nil {
			return fmt.Errorf("%s is missing", f.path)
		}
		if got != f.sha256 {
			return fmt.Errorf("%s has SHA-256 %s, the lock records %s", f.path, got, f.sha256)
		}
	}
	return nil
}

func digestOf(p string) (string, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		return err
	}
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
