package io.schemagate.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.schemagate.api.DatabaseMigration;
import io.schemagate.api.DatabaseMigrationStatus;
import io.schemagate.contract.Outcome;
import io.schemagate.it.OperatorProcess;
import io.schemagate.it.Scenario;
import io.schemagate.reconcile.JobState;
import io.schemagate.support.ManagedBy;
import io.schemagate.testbed.TestBed;
import io.schemagate.testbed.TestNamespace;
import io.schemagate.testsupport.TestDatabases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.jboss.logmanager.LogContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged operator, at its default settings and with a 256 MiB heap, taking over many
 * DatabaseMigrations whose databases are already migrated: every resource has its own ConfigMap
 * of 3 scripts and its own schema and history table, ten to a namespace, each namespace its own
 * database. The bench migrates them with Flyway itself and creates every object before the
 * operator starts, so that what is measured is the operator's own cost:
 * <ul>
 * <li>from the operator's process start to every resource Ready at its generation, with no Job;</li>
 * <li>over the resync interval that follows (what is left of the start: late informer events, the
 * first resyncs) and over the next one, the steady state: its CPU time, its database sessions, and
 * the API requests it sends;</li>
 * <li>then, for a few resources one after the other, from a script added to its ConfigMap to its
 * Job created, and on to the resource Ready at the new revision;</li>
 * <li>its heap throughout, from its GC log.</li>
 * </ul>
 * Instants come from watch events seen in this JVM, as in {@link OperatorLatencyBench}. The operator
 * runs as a ServiceAccount of its own (bound to cluster-admin), as in a cluster: no component of the
 * bed uses one, so the API server counts the operator's requests apart (its flow schema).
 */
class ScaleBench {
    private static final int NAMESPACES = Integer.getInteger("bench.scale.namespaces", 200);
    private static final int PER_NAMESPACE = Integer.getInteger("bench.scale.perNamespace", 10);
    private static final int CHANGES = Integer.getInteger("bench.scale.changes", 5);
    /** Comma-separated log categories the operator logs at DEBUG (io.schemagate, say): where its time goes. */
    private static final String DEBUG_CATEGORIES = System.getProperty("bench.scale.operatorDebug", "");
    /** Enough to prepare in minutes, few enough that the bed's API server and PostgreSQL keep up. */
    private static final int PREPARE_THREADS = 4;
    /** The operator's default resync interval: the steady state is measured over it, and the baseline. */
    private static final Duration RESYNC = Duration.ofSeconds(60);

    private static final Duration READY_TIMEOUT = Duration.ofMinutes(20);
    private static final Duration CHANGE_TIMEOUT = Duration.ofMinutes(2);
    private static final String HEAP = "256m";
    private static final Path GC_LOG = BenchReport.DIR.resolve("scale-gc.log").toAbsolutePath();
    private static final Map<String, String> SCRIPTS = Map.of(
            "V1__create_customers.sql", "CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL);",
            "V2__create_orders.sql",
                    "CREATE TABLE orders (id bigint PRIMARY KEY, customer bigint REFERENCES customers);",
            "V3__index_orders.sql", "CREATE INDEX orders_customer ON orders (customer);");
    private static final String ADDED_SCRIPT = "V4__add_order_notes.sql";
    private static final String ADDED_SQL = "ALTER TABLE orders ADD COLUMN note text;";
    /** The API Priority and Fairness flow schema of ServiceAccounts' requests: the operator's alone here. */
    private static final String FLOW_SCHEMA = "service-accounts";

    private static final String SERVICE_ACCOUNT = "schemagate-scale-bench";

    /** A namespace with its database and the resources in it, each named after its schema. */
    record Tenant(Scenario scenario, List<String> resources) {
        String namespace() {
            return scenario.namespace().name();
        }
    }

    /**
     * What the operator used over a time: CPU seconds, database sessions it opened (one per read of a
     * history) and held at most at once (every second), of all clients at most at once, API requests.
     */
    record Cost(
            double millis,
            double cpuSeconds,
            long sessionsOpened,
            int maxOperatorSessions,
            int maxSessions,
            ApiRequests requests) {}

    /**
     * Milliseconds from the operator's process start: to every resource Ready, to its start logged and
     * its webhook registered (with the CPU seconds used until then), and to each resource Ready.
     */
    record Startup(
            double allReadyMillis,
            double startedMillis,
            double cpuSecondsWhenStarted,
            List<Double> readyMillis,
            Cost cost) {}

    /** The operator's counters at an instant, which a cost is the difference of. */
    private record Counters(long at, double cpuSeconds, long sessionsOpened, ApiRequests requests) {}

    /** Milliseconds of one script added, each measured between two observed instants. */
    record Change(String resource, double changeToJob, double jobToReady, double jobToComplete) {}

    private final TestBed bed = TestBed.get();
    private final List<TestNamespace> namespaces = Collections.synchronizedList(new ArrayList<>());
    private final List<TestDatabases> databases = Collections.synchronizedList(new ArrayList<>());
    private final List<Tenant> tenants = new ArrayList<>();
    private final FirstSeen ready = FirstSeen.perObject(readyAt("3"));
    private final FirstSeen readyAfterChange = FirstSeen.perObject(readyAt("4"));
    private final FirstSeen jobCreated = new FirstSeen(job -> true);
    private final FirstSeen jobComplete = new FirstSeen(job -> new JobState((Job) job).isSucceeded());
    private String clusterRoleBinding;
    private Path kubeconfig;

    @Test
    void takesOverMigratedResourcesAndStaysWithinItsHeap(@TempDir Path scripts) throws Exception {
        Startup startup;
        Cost afterReady;
        Cost steady;
        List<Change> changes;
        List<ConnectionSampler.Sample> sessions;
        String operatorLog;
        boolean aliveAtTheEnd;
        OperatorProcess.installCrd(bed.client());
        try (SharedIndexInformer<DatabaseMigration> resources = bed.client()
                        .resources(DatabaseMigration.class)
                        .inAnyNamespace()
                        .inform(FirstSeen.handler(ready, readyAfterChange));
                SharedIndexInformer<Job> jobs = bed.client()
                        .batch()
                        .v1()
                        .jobs()
                        .inAnyNamespace()
                        .withLabel(ManagedBy.LABEL, ManagedBy.VALUE)
                        .inform(FirstSeen.handler(jobCreated, jobComplete))) {
            kubeconfig = operatorIdentity();
            prepare(scripts);
            ApiRequests baseline = withoutOperator();
            Files.createDirectories(BenchReport.DIR);
            long sessionsBefore = ConnectionSampler.sessionsOpened(bed, databaseNames());
            ApiRequests requestsBefore = ApiRequests.read(bed.client());
            try (ConnectionSampler connections = ConnectionSampler.start(bed);
                    OperatorProcess operator =
                            OperatorProcess.startAs(bed, kubeconfig, Map.of(), operatorJvmOptions())) {
                long started = System.nanoTime();
                double cpuWhenStarted = ProcessCpu.seconds(operator.pid());
                Counters atStart = new Counters(operator.startedAt(), 0, sessionsBefore, requestsBefore);
                Map<String, Long> readyAt = awaitEveryReady();
                Cost untilReady = cost(atStart, counters(operator), connections, baseline);
                startup = startup(operator, started, cpuWhenStarted, readyAt, untilReady);
                assertReadyWithoutRuns(resources, jobs);
                afterReady = overOneResyncInterval(operator, connections, baseline);
                steady = overOneResyncInterval(operator, connections, baseline);
                changes = addScripts();
                sessions = connections.samples();
                aliveAtTheEnd = operator.isAlive();
                operatorLog = operator.log();
            }
        } finally {
            cleanUp();
        }
        Files.writeString(BenchReport.DIR.resolve("scale-operator.log"), operatorLog);
        assertThat(aliveAtTheEnd).as("the operator's process alive at the end").isTrue();
        assertThat(operatorLog).as("the operator's log").doesNotContain("OutOfMemoryError");
        report(startup, afterReady, steady, changes, GcLog.read(GC_LOG), sessions);
    }

    /** Ready, for the resource's generation, at the revision given: what a user waits for. */
    private static Predicate<HasMetadata> readyAt(String revision) {
        return object -> {
            DatabaseMigration resource = (DatabaseMigration) object;
            DatabaseMigrationStatus status = resource.getStatus();
            Long generation = resource.getMetadata().getGeneration();
            return status != null
                    && generation.equals(status.getObservedGeneration())
                    && status.getRevision() != null
                    && revision.equals(status.getRevision().getCurrent())
                    && Scenario.condition(resource, "Ready")
                            .filter(condition -> "True".equals(condition.getStatus())
                                    && generation.equals(condition.getObservedGeneration()))
                            .isPresent();
        };
    }

    /**
     * A ServiceAccount bound to cluster-admin, in a namespace of its own, and a kubeconfig with its
     * token: the operator's permissions stay those of the bed's administrator, its requests are told apart.
     */
    private Path operatorIdentity() throws Exception {
        TestNamespace namespace = TestNamespace.create(bed);
        namespaces.add(namespace);
        bed.client()
                .serviceAccounts()
                .inNamespace(namespace.name())
                .resource(new ServiceAccountBuilder()
                        .withNewMetadata()
                        .withName(SERVICE_ACCOUNT)
                        .endMetadata()
                        .build())
                .create();
        clusterRoleBinding = SERVICE_ACCOUNT + "-" + namespace.name();
        bed.client()
                .rbac()
                .clusterRoleBindings()
                .resource(new ClusterRoleBindingBuilder()
                        .withNewMetadata()
                        .withName(clusterRoleBinding)
                        .endMetadata()
                        .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "cluster-admin")
                        .addNewSubject()
                        .withKind("ServiceAccount")
                        .withName(SERVICE_ACCOUNT)
                        .withNamespace(namespace.name())
                        .endSubject()
                        .build())
                .create();
        return bed.serviceAccountKubeconfig(namespace.name(), SERVICE_ACCOUNT);
    }

    /**
     * Every namespace, database and object, migrated and declared, before the operator starts; a few
     * namespaces at a time. Each is kept as soon as it exists, so that a failure half-way still
     * cleans up all of them.
     */
    private void prepare(Path scripts) throws Exception {
        // Flyway's lines for every schema prepared would drown the build's output; its warnings still show.
        LogContext.getLogContext().getLogger("org.flywaydb").setLevel(Level.WARNING);
        List<String> names =
                IntStream.range(0, PER_NAMESPACE).mapToObj(i -> "m" + i).toList();
        for (String name : names) {
            layOut(scripts.resolve(name), name);
        }
        ExecutorService pool = Executors.newFixedThreadPool(PREPARE_THREADS);
        try {
            List<Future<Tenant>> prepared = IntStream.range(0, NAMESPACES)
                    .mapToObj(i -> pool.submit(() -> prepareTenant(scripts, names)))
                    .toList();
            for (Future<Tenant> tenant : prepared) {
                tenants.add(tenant.get());
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(1, TimeUnit.MINUTES);
        }
    }

    private Tenant prepareTenant(Path scripts, List<String> names) throws SQLException {
        TestNamespace namespace = TestNamespace.create(bed);
        namespaces.add(namespace);
        TestDatabases database = TestDatabases.fresh();
        databases.add(database);
        Scenario scenario = new Scenario(namespace, database);
        scenario.credentials();
        for (String name : names) {
            migrateWithoutOperator(database, scripts.resolve(name), name);
            scenario.scripts(configMap(name), SCRIPTS);
            scenario.apply(name, configMap(name), spec -> spec.getDatabase().setSchemas(List.of(name)));
        }
        return new Tenant(scenario, names);
    }

    /**
     * The scripts as a Job mounts them for the runner: a folder per ConfigMap below the location, as
     * Flyway records a script's path below it (io.schemagate.reconcile.MigrationJob).
     */
    private static void layOut(Path location, String name) throws Exception {
        Path folder = Files.createDirectories(location.resolve(configMap(name)));
        for (Map.Entry<String, String> script : SCRIPTS.entrySet()) {
            Files.writeString(folder.resolve(script.getKey()), script.getValue());
        }
    }

    /** Flyway as the runner configures it for a resource of this schema: the history the operator then reads. */
    private static void migrateWithoutOperator(TestDatabases database, Path location, String schema) {
        MigrateResult result = Flyway.configure()
                .dataSource(database.url(), database.user(), database.password())
                .locations("filesystem:" + location)
                .schemas(schema)
                .defaultSchema(schema)
                .load()
                .migrate();
        assertThat(result.migrationsExecuted)
                .as(database.name() + " schema " + schema)
                .isEqualTo(SCRIPTS.size());
    }

    private static String configMap(String resource) {
        return resource + "-migrations";
    }

    /**
     * The API server's requests over one resync interval before the operator starts: the bed's own,
     * none of them in the operator's flow schema, or its count would not be the operator's alone.
     */
    private ApiRequests withoutOperator() throws InterruptedException {
        ApiRequests before = ApiRequests.read(bed.client());
        Thread.sleep(RESYNC.toMillis());
        ApiRequests baseline = ApiRequests.read(bed.client()).since(before);
        assertThat(baseline.ofFlowSchema(FLOW_SCHEMA))
                .as("requests of flow schema " + FLOW_SCHEMA + " without the operator")
                .isZero();
        return baseline;
    }

    private static List<String> operatorJvmOptions() {
        List<String> options = new ArrayList<>(List.of(
                "-Xmx" + HEAP,
                // As the image runs it (src/main/docker/Dockerfile.jvm): an OutOfMemoryError ends the process.
                "-XX:+ExitOnOutOfMemoryError",
                "-Xlog:gc*:file=" + GC_LOG + ":uptime,level,tags:filecount=0"));
        for (String category : DEBUG_CATEGORIES.split(",", -1)) {
            if (!category.isBlank()) {
                options.add("-Dquarkus.log.category.\"" + category.trim() + "\".level=DEBUG");
            }
        }
        return options;
    }

    /** The instant each resource was first seen Ready, by namespace/name, once all were. */
    private Map<String, Long> awaitEveryReady() {
        List<String> keys = tenants.stream()
                .flatMap(tenant -> tenant.resources().stream().map(name -> tenant.namespace() + "/" + name))
                .toList();
        // Polls only the instants the watch recorded: when this loop notices them does not matter.
        await("every resource Ready")
                .atMost(READY_TIMEOUT)
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> ready.all().keySet().containsAll(keys));
        Map<String, Long> seen = ready.all();
        return keys.stream().collect(Collectors.toMap(key -> key, seen::get));
    }

    private static Startup startup(
            OperatorProcess operator, long started, double cpuWhenStarted, Map<String, Long> readyAt, Cost untilReady) {
        long lastReady =
                readyAt.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        return new Startup(
                millis(lastReady - operator.startedAt()),
                millis(started - operator.startedAt()),
                cpuWhenStarted,
                readyAt.values().stream()
                        .map(at -> millis(at - operator.startedAt()))
                        .sorted()
                        .toList(),
                untilReady);
    }

    private Counters counters(OperatorProcess operator) throws Exception {
        return new Counters(
                System.nanoTime(),
                ProcessCpu.seconds(operator.pid()),
                ConnectionSampler.sessionsOpened(bed, databaseNames()),
                ApiRequests.read(bed.client()));
    }

    /** The API requests by verb and resource are net of the bed's own, the baseline scaled to the time. */
    private static Cost cost(Counters from, Counters to, ConnectionSampler connections, ApiRequests baseline) {
        double millis = millis(to.at() - from.at());
        return new Cost(
                millis,
                to.cpuSeconds() - from.cpuSeconds(),
                to.sessionsOpened() - from.sessionsOpened(),
                connections.maxOperator(from.at(), to.at()),
                connections.maxAll(from.at(), to.at()),
                to.requests().since(from.requests()).net(baseline, millis / RESYNC.toMillis()));
    }

    private List<String> databaseNames() {
        return databases.stream().map(TestDatabases::name).toList();
    }

    /** What the watch shows is what the API server holds: every resource at revision 3, and no run. */
    private void assertReadyWithoutRuns(
            SharedIndexInformer<DatabaseMigration> resources, SharedIndexInformer<Job> jobs) {
        List<DatabaseMigration> all = resources.getStore().list();
        assertThat(all).hasSize(NAMESPACES * PER_NAMESPACE);
        assertThat(all).allSatisfy(resource -> {
            assertThat(readyAt("3").test(resource))
                    .as(FirstSeen.keyOf(resource) + " Ready at revision 3")
                    .isTrue();
            assertThat(resource.getStatus().getRevision().getDrift())
                    .as(FirstSeen.keyOf(resource) + " drift")
                    .isNull();
            assertThat(resource.getStatus().getLastRun())
                    .as(FirstSeen.keyOf(resource) + " run")
                    .isNull();
        });
        assertThat(jobs.getStore().list())
                .as("Jobs: every database was migrated before")
                .isEmpty();
    }

    /** One resync interval with nothing to do: in the steady state, each resource is read again once, and nothing else. */
    private Cost overOneResyncInterval(OperatorProcess operator, ConnectionSampler connections, ApiRequests baseline)
            throws Exception {
        Counters from = counters(operator);
        Thread.sleep(RESYNC.toMillis());
        return cost(from, counters(operator), connections, baseline);
    }

    /** A script added to resources spread over the namespaces, one after the other, each its first run. */
    private List<Change> addScripts() throws Exception {
        List<Change> changes = new ArrayList<>();
        int count = Math.min(CHANGES, tenants.size());
        for (int i = 0; i < count; i++) {
            Tenant tenant = tenants.get(i * tenants.size() / count);
            changes.add(addScript(
                    tenant, tenant.resources().get(i % tenant.resources().size())));
            // Lets the sample's tail (events, pod clean-up) settle, so it does not bill the next one.
            Thread.sleep(1000);
        }
        return changes;
    }

    private Change addScript(Tenant tenant, String name) throws SQLException {
        String namespace = tenant.namespace();
        String key = namespace + "/" + name;
        Map<String, String> scripts = new TreeMap<>(SCRIPTS);
        scripts.put(ADDED_SCRIPT, ADDED_SQL);
        tenant.scenario().scripts(configMap(name), scripts);
        long changed = System.nanoTime();

        await(key + " Ready at revision 4")
                .atMost(CHANGE_TIMEOUT)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> readyAfterChange.at(key) != null && jobComplete.at(namespace) != null);
        DatabaseMigration resource = tenant.scenario().resource(name).get();
        assertThat(resource.getStatus().getRevision().getCurrent())
                .as(tenant.scenario().describe(name))
                .isEqualTo("4");
        assertThat(resource.getStatus().getLastRun().getOutcome()).isEqualTo(Outcome.Succeeded);
        assertThat(tenant.scenario().jobs()).as("one Job in " + namespace).hasSize(1);
        assertThat(tenant.scenario()
                        .database()
                        .query("SELECT count(*) FROM " + name
                                + ".flyway_schema_history WHERE success AND version IS NOT NULL"))
                .containsExactly("4");
        Long created = jobCreated.at(namespace);
        Long complete = jobComplete.at(namespace);
        Long readyAt = readyAfterChange.at(key);
        assertThat(created).as("Job created seen").isNotNull().isGreaterThanOrEqualTo(changed);
        // Ready comes first: the operator records the run once its pod Succeeded, before the Job controller's Complete.
        assertThat(readyAt).as("Ready seen after the Job was created").isGreaterThan(created);
        assertThat(complete).as("Job Complete seen").isGreaterThan(created);
        return new Change(key, millis(created - changed), millis(readyAt - created), millis(complete - created));
    }

    /** Every namespace deleted and every database dropped, whichever fail: one failure leaves no others behind. */
    private void cleanUp() throws Exception {
        Exception failure = null;
        try {
            if (clusterRoleBinding != null) {
                bed.client()
                        .rbac()
                        .clusterRoleBindings()
                        .withName(clusterRoleBinding)
                        .delete();
            }
            if (kubeconfig != null) {
                Files.deleteIfExists(kubeconfig);
            }
        } catch (IOException | RuntimeException e) {
            failure = e;
        }
        for (TestNamespace namespace : namespaces) {
            try {
                namespace.delete();
            } catch (RuntimeException e) {
                failure = kept(failure, e);
            }
        }
        for (TestDatabases database : databases) {
            try {
                database.drop();
            } catch (SQLException | RuntimeException e) {
                failure = kept(failure, e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static Exception kept(Exception first, Exception next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }

    private void report(
            Startup startup,
            Cost afterReady,
            Cost steady,
            List<Change> changes,
            GcLog gc,
            List<ConnectionSampler.Sample> sessions)
            throws Exception {
        Percentiles perResource = Percentiles.of(startup.readyMillis());
        Percentiles toJob =
                Percentiles.of(changes.stream().map(Change::changeToJob).toList());
        Percentiles toReady =
                Percentiles.of(changes.stream().map(Change::jobToReady).toList());
        Percentiles running =
                Percentiles.of(changes.stream().map(Change::jobToComplete).toList());
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("Figure", "Value"));
        rows.add(
                List.of("operator start → every resource Ready", BenchReport.seconds(startup.allReadyMillis()) + " s"));
        rows.add(List.of(
                "operator start → a resource Ready, p50 / p99",
                BenchReport.seconds(perResource.p50()) + " / " + BenchReport.seconds(perResource.p99()) + " s"));
        rows.add(List.of(
                "operator start → started (logged, webhook registered); its CPU until then",
                BenchReport.seconds(startup.startedMillis()) + " s; " + cpu(startup.cpuSecondsWhenStarted())));
        rows.addAll(costRows("until every resource Ready", startup.cost()));
        rows.addAll(costRows("the next " + BenchReport.seconds(afterReady.millis()) + " s", afterReady));
        rows.addAll(costRows("steady state, the " + BenchReport.seconds(steady.millis()) + " s after", steady));
        rows.add(List.of(
                "script added → its Job created, p50 / max (" + toJob.count() + " samples)",
                BenchReport.millis(toJob.p50()) + " / " + BenchReport.millis(toJob.max()) + " ms"));
        rows.add(List.of(
                "Job created → Complete, p50 / max",
                BenchReport.millis(running.p50()) + " / " + BenchReport.millis(running.max()) + " ms"));
        rows.add(List.of(
                "Job created → Ready at revision 4, p50 / max",
                BenchReport.millis(toReady.p50()) + " / " + BenchReport.millis(toReady.max()) + " ms"));
        rows.add(List.of("heap after GC, max (-Xmx" + HEAP + ")", mebibytes(gc.maxHeapAfterMiB())));
        rows.add(List.of(
                "heap before GC, max; committed, max",
                mebibytes(gc.maxHeapBeforeMiB()) + "; " + mebibytes(gc.maxCommittedMiB())));
        rows.add(List.of(
                "GC pauses: count, total, longest",
                gc.pauses() + ", " + BenchReport.millis(gc.totalPauseMillis()) + " ms, "
                        + BenchReport.millis(gc.maxPauseMillis()) + " ms"));
        rows.add(List.of("full collections", Integer.toString(gc.fullCollections())));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put(
                "size",
                Map.of(
                        "namespaces",
                        NAMESPACES,
                        "perNamespace",
                        PER_NAMESPACE,
                        "resources",
                        NAMESPACES * PER_NAMESPACE,
                        "databases",
                        NAMESPACES));
        data.put("startup", startup);
        data.put("readyPerResource", perResource);
        data.put("afterReady", afterReady);
        data.put("steadyState", steady);
        data.put("changes", changes);
        data.put("gc", gc);
        data.put("sessionSamples", sessions);
        data.put(
                "operatorSettings",
                "defaults (resync " + RESYNC.toSeconds() + "s), JVM options " + operatorJvmOptions());
        BenchReport.record(
                "scale",
                new BenchReport.Section(
                        "Scale",
                        "The packaged operator at its default settings, with -Xmx" + HEAP + ", taking over "
                                + NAMESPACES * PER_NAMESPACE + " DatabaseMigrations in " + NAMESPACES + " namespaces ("
                                + PER_NAMESPACE + " to a namespace, each with its own schema and history table in the "
                                + "namespace's database), all already migrated by the benchmark, then a script added to "
                                + changes.size()
                                + " of them in turn. Instants come from watch events seen by the benchmark; "
                                + "CPU from /proc, database sessions from pg_stat_activity (every second) and "
                                + "pg_stat_database, heap from the operator's GC log.",
                        rows,
                        List.of(
                                "Operator's API requests: counted exactly by the API server in the flow schema of its "
                                        + "ServiceAccount (apiserver_flowcontrol_dispatched_requests_total{flow_schema=\""
                                        + FLOW_SCHEMA + "\"}), which nothing else on the bed uses; in parentheses, "
                                        + "apiserver_request_total over the same time less its counts over "
                                        + RESYNC.toSeconds()
                                        + " s before the operator started (scaled to the phase's length), whose breakdown "
                                        + "by verb and resource follows (the bed's own watches vary by a few).",
                                "Until every resource Ready: "
                                        + startup.cost().requests().describe() + ".",
                                "The next interval: " + afterReady.requests().describe() + ".",
                                "Steady state: " + steady.requests().describe() + ".",
                                "The operator's process was alive at the end and its log has no OutOfMemoryError; "
                                        + "the GC log is target/bench/scale-gc.log."),
                        data));
    }

    private static double millis(long nanos) {
        return nanos / 1_000_000.0;
    }

    private static List<List<String>> costRows(String phase, Cost cost) {
        return List.of(
                List.of(phase + ": operator CPU", cpu(cost.cpuSeconds())),
                List.of(phase + ": database connections the operator opened", Long.toString(cost.sessionsOpened())),
                List.of(
                        phase + ": most database sessions at once, operator / all clients",
                        cost.maxOperatorSessions() + " / " + cost.maxSessions()),
                List.of(phase + ": operator's API requests", requests(cost.requests())));
    }

    private static String requests(ApiRequests requests) {
        return requests.ofFlowSchema(FLOW_SCHEMA) + " (" + requests.total() + ")";
    }

    private static String cpu(double seconds) {
        return BenchReport.seconds(seconds * 1000) + " s";
    }

    private static String mebibytes(double value) {
        return BenchReport.millis(value) + " MiB";
    }
}
