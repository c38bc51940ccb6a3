// Command pause holds a pod's namespaces on the bed's real node: the sandbox container every pod
// starts with. It sleeps until SIGINT or SIGTERM, and reaps the orphans of a pod that shares its
// process namespace. Built static by testbed.sh; the bed imports it as the node's sandbox image.
package main

import (
	"os"
	"os/signal"
	"syscall"
)

func main() {
	if os.Getpid() != 1 {
		os.Stderr.WriteString("pause: meant to run as a pod's first process\n")
	}
	signals := make(chan os.Signal, 8)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM, syscall.SIGCHLD)
	for sig := range signals {
		if sig != syscall.SIGCHLD {
			os.Exit(0)
		}
		for {
			var status syscall.WaitStatus
			if pid, err := syscall.Wait4(-1, &status, syscall.WNOHANG, nil); pid <= 0 || err != nil {
				break
			}
		}
	}
}
