// Command bed runs SchemaGate's local Kubernetes test bed: etcd, kube-apiserver,
// kube-controller-manager, kube-scheduler, KWOK with one fake node, PostgreSQL, and an
// executor that really runs the pods of Jobs (in bubblewrap sandboxes) instead of faking them.
//
//	bed up   --bin DIR --state DIR [--detach] [--exit-on-stdin-eof] [--image REF=DIR ...]
//	bed down --state DIR
//	bed env  --state DIR
//	bed logs --state DIR NAMESPACE POD [CONTAINER]
//	bed postgres stop|start --state DIR
//	bed apiserver restart --state DIR
//	bed node import --state DIR ARCHIVE...
package main

import (
	"fmt"
	"os"

	"schemagate.io/testbed/bed/executor"
)

const usage = `usage:
  bed up   --bin DIR --state DIR [--detach] [--exit-on-stdin-eof] [--image REF=DIR ...]
  bed down --state DIR
  bed env  --state DIR
  bed logs --state DIR NAMESPACE POD [CONTAINER]
  bed postgres stop|start --state DIR
  bed apiserver restart --state DIR
  bed node import --state DIR ARCHIVE...
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	args := os.Args[2:]
	var err error
	switch os.Args[1] {
	case "up":
		err = cmdUp(args)
	case "down":
		err = cmdDown(args)
	case "env":
		err = cmdEnv(args)
	case "logs":
		err = cmdLogs(args)
	case "postgres":
		err = cmdControl("postgres", []string{"stop", "start"}, args)
	case "apiserver":
		err = cmdControl("apiserver", []string{"restart"}, args)
	case "node":
		err = cmdNode(args)
	case executor.SandboxInitCommand:
		// Runs inside a pod sandbox: drops to the container's user and execs its command.
		err = executor.SandboxInit(args)
	case "-h", "--help", "help":
		fmt.Print(usage)
		return
	default:
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "bed: %v\n", err)
		os.Exit(1)
	}
}
