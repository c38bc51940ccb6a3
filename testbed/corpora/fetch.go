package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// fetch takes the set's files and licences from its repository at the pinned commit: a shallow,
// sparse fetch of the folders it needs, without the rest of the repository's history or blobs.
func fetch(s *set, gitBase, into string) error {
	work, err := os.MkdirTemp(filepath.Dir(into), "git-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	paths := []string{}
	for _, m := range s.folders {
		paths = append(paths, "/"+m.upstream+"/")
	}
	for _, l := range s.licences {
		paths = append(paths, "/"+l.upstream)
	}
	url := strings.TrimSuffix(gitBase, "/") + "/" + s.repository
	steps := [][]string{
		{"init", "-q"},
		{"remote", "add", "origin", url},
		{"sparse-checkout", "set", "--no-cone"},
		{"-c", "protocol.version=2", "fetch", "-q", "--depth=1", "--filter=blob:none", "origin", s.commit},
		{"checkout", "-q", "--detach", s.commit},
	}
	steps[2] = append(steps[2], paths...)
	for _, args := range steps {
		if err := git(work, args...); err != nil {
			return err
		}
	}
	for _, f := range s.files {
		upstream, _ := s.upstreamPath(f.path)
		if err := copyFile(filepath.Join(work, upstream), filepath.Join(into, f.path)); err != nil {
			return fmt.Errorf("%s is not at %s in the repository", f.path, upstream)
		}
	}
	for _, l := range s.licences {
		if err := copyFile(filepath.Join(work, l.upstream), filepath.Join(into, l.local)); err != nil {
			return fmt.Errorf("licence %s is not in the repository", l.upstream)
		}
	}
	return nil
}

func git(dir string, args ...string) error {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	// Never ask for credentials: a repository that wants them is unreachable here.
	cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0", "GIT_ASKPASS=true")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		last := strings.TrimSpace(stderr.String())
		if i := strings.LastIndex(last, "\n"); i >= 0 {
			last = last[i+1:]
		}
		return fmt.Errorf("git %s: %s", verb(args), last)
	}
	return nil
}

// verb is the git command among its arguments, for the message of a failure.
func verb(args []string) string {
	for i := 0; i < len(args); i++ {
		if args[i] == "-c" {
			i++
			continue
		}
		return args[i]
	}
	return ""
}
