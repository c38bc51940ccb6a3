// Obtains the published migration sets the tests run (corpora.lock): from a local mirror or at
// their pinned commits, verified against recorded digests. Standard library only, so that it
// builds in seconds before anything else of `make test`.
module schemagate.io/testbed/corpora

go 1.22
