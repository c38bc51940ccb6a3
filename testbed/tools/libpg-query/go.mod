// PostgreSQL's own parser, libpg_query, as pg_query_go carries its C sources: SchemaGate's change
// policy parses pending scripts with it. Only the C sources of this module are built
// (testbed/tools/libpg-query.sh), into a shared library the operator loads.
module schemagate.io/testbed/tools/libpg-query

go 1.22

require github.com/pganalyze/pg_query_go/v6 v6.2.2
