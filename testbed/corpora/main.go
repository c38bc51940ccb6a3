// Command corpora obtains the migration sets that public projects published and SchemaGate's
// tests run (corpora.lock), so that a clone of the repository alone can run them without the
// sets ever entering it.
//
//	corpora --lock corpora.lock --cache DIR [--mirror DIR] [--git-base URL]
//
// Each set is taken from the cache when a complete copy of it is there; otherwise from the
// mirror, a folder in the layout of the shared corpora (<set>/<folder>/...), when one is given;
// otherwise from its repository at the pinned commit (git, --git-base + repository). Every file
// is checked against the SHA-256 the lock records before the set enters the cache, so a changed
// mirror or repository fails instead of testing other scripts than the lock names. The cache
// folder is printed on the last line of stdout; a failure prints one message saying what is
// missing and how to get it, and exits 1.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
)

func main() {
	lockPath := flag.String("lock", "", "the lock file naming each set, its commit and its files' digests")
	cache := flag.String("cache", "", "where verified sets are kept (a folder per lock)")
	mirror := flag.String("mirror", "", "a local folder holding the sets in the shared layout; nothing is fetched then")
	gitBase := flag.String("git-base", "https://github.com/", "prefix of the repositories' git URLs")
	flag.Parse()
	if *lockPath == "" || *cache == "" || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: corpora --lock FILE --cache DIR [--mirror DIR] [--git-base URL]")
		os.Exit(2)
	}
	dir, err := resolve(*lockPath, *cache, source{mirror: *mirror, gitBase: *gitBase})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(dir)
}

// resolve makes every set of the lock present and verified in the cache and returns the folder
// that holds them.
func resolve(lockPath, cacheRoot string, from source) (string, error) {
	lock, err := readLock(lockPath)
	if err != nil {
		return "", err
	}
	if from.mirror != "" {
		// A mirror named on purpose and not there is a mistake to point out, even when the
		// cache could do without it.
		if info, err := os.Stat(from.mirror); err != nil || !info.IsDir() {
			return "", errors.New(howToGet([]string{"  the mirror " + from.mirror + " is not a folder"}, from))
		}
	}
	c := cache{root: cacheRoot, lockDigest: lock.digest}
	var missing []string
	for _, set := range lock.sets {
		if c.has(set) {
			continue
		}
		if err := c.fill(set, from); err != nil {
			missing = append(missing, fmt.Sprintf("  %s (%s at %.12s): %v", set.name, set.repository, set.commit, err))
		}
	}
	if len(missing) > 0 {
		return "", errors.New(howToGet(missing, from))
	}
	return c.folder(), nil
}

func howToGet(missing []string, from source) string {
	where := "fetched with git from " + from.gitBase
	if from.mirror != "" {
		where = "copied from the mirror " + from.mirror
	}
	return "corpora: the tests need migration sets published by public projects, and they could not be " +
		where + ":\n" + strings.Join(missing, "\n") + "\n" +
		"Get them one of three ways: put the shared folder 'corpora' beside the checkout (../shared/corpora),\n" +
		"or set SCHEMAGATE_CORPORA_MIRROR to a folder in the same layout, or run where github.com is reachable,\n" +
		"so that they are fetched at the commits testbed/corpora/corpora.lock pins."
}
