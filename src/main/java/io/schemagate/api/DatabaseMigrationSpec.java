package io.schemagate.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.schemagate.db.Engine;
import io.schemagate.db.HistoryFormat;
import java.util.List;

/** What the schema should look like and how to get it there. */
@ValidationRule(
        value = "!has(self.flyway) || self.engine == 'flyway'",
        message = "spec.flyway is for engine flyway; remove it or set spec.engine: flyway")
@ValidationRule(
        value = "!has(self.sqlx) || self.engine == 'sqlx'",
        message = "spec.sqlx is for engine sqlx; remove it or set spec.engine: sqlx")
@ValidationRule(
        value = "!has(self.alembic) || self.engine == 'alembic'",
        message = "spec.alembic is for engine alembic; remove it or set spec.engine: alembic")
@ValidationRule(
        value = "self.engine != 'alembic' || !has(self.source.configMaps)",
        message = "engine alembic runs the application image's own Alembic: set source.image or source.workload")
@ValidationRule(
        value = "self.engine == 'alembic' || self.target.matches('" + DatabaseMigrationSpec.VERSION_TARGET + "')",
        message = "spec.target must be latest or a version such as 4 or 2.1 (digits separated by dots or "
                + "underscores); revision ids are for engine alembic")
@ValidationRule(
        value = "has(self.command) == (self.engine == 'command')",
        message = "spec.command is required for engine command, and only for it")
@ValidationRule(
        value = "self.engine != 'command' || !has(self.source.configMaps)",
        message = "engine command runs a tool's image on the scripts of an image: set source.image or "
                + "source.workload")
@ValidationRule(
        value = "!has(self.downgrade) || !self.downgrade.allowed || self.engine != 'flyway'",
        message = "spec.downgrade: Flyway's free edition has no down path (undo migrations are a paid Flyway "
                + "feature); add a new migration that reverses the change instead")
@ValidationRule(
        value = "!has(self.downgrade) || !self.downgrade.allowed || self.engine != 'command' "
                + "|| has(self.command.downArgs)",
        message = "spec.downgrade: engine command migrates down with spec.command.downArgs; set them, or leave "
                + "spec.downgrade.allowed false")
@ValidationRule(
        value = "!has(self.job) || !has(self.job.serviceAccountName) || !has(self.source.workload) "
                + "|| !has(self.source.workload.inherit) || !has(self.source.workload.inherit.serviceAccount) "
                + "|| !self.source.workload.inherit.serviceAccount",
        message = "set either job.serviceAccountName or source.workload.inherit.serviceAccount, not both")
@ValidationRule(
        value = "!has(self.rehearsal) || !self.rehearsal.enabled || self.engine in ['flyway', 'sqlx']",
        message = "spec.rehearsal is for engines flyway and sqlx, whose scripts the runner applies itself")
@ValidationRule(
        value = "!has(self.adopt) || self.engine != 'command' || has(self.command.adoptArgs)",
        message = "spec.adopt: engine command records the history with the tool's own command, "
                + "spec.command.adoptArgs (golang-migrate: force $(SCHEMAGATE_ADOPT)); set them")
@ValidationRule(
        value = "!has(self.adopt) || self.engine == 'alembic' || self.adopt.version.matches('"
                + DatabaseMigrationSpec.VERSION_TARGET + "') && self.adopt.version != 'latest'",
        message = "spec.adopt.version must be a version such as 4 or 2.1 (revision ids are for engine alembic)")
public class DatabaseMigrationSpec {
    /** Flyway version syntax (digits separated by dots or underscores) or the word latest. */
    public static final String VERSION_TARGET = "^(latest|[0-9]+([._][0-9]+)*)$";
    /** A version, or for Alembic a revision id, head or heads: one word, as Alembic's command line takes it. */
    public static final String TARGET_PATTERN = "^[A-Za-z0-9_][A-Za-z0-9_.@+-]*$";
    /** Bounded, so that the API server can afford the uniqueness rule (its cost grows with the square). */
    public static final int MAX_CHECKS = 32;

    @Required
    @JsonPropertyDescription("The database to migrate and the credentials to use.")
    private DatabaseSpec database;

    @Required
    @JsonPropertyDescription("Where the migration scripts come from. Exactly one kind of source is set.")
    private SourceSpec source;

    @Default("flyway")
    @JsonPropertyDescription("The migration tool whose scripts and history table this resource uses: flyway "
            + "(V<version>__<description>.sql, history in flyway_schema_history) or sqlx "
            + "(<version>_<description>.sql or .up.sql/.down.sql pairs, history in _sqlx_migrations), which the "
            + "runner applies itself; alembic, the application image's own Alembic (spec.alembic), history in "
            + "alembic_version; or command, any tool run from its own image (spec.command). docs/engines.md "
            + "describes each.")
    private Engine engine = Engine.flyway;

    @JsonPropertyDescription("Flyway settings applied by the migration runner (engine flyway only).")
    private FlywaySpec flyway;

    @JsonPropertyDescription("sqlx settings applied by the migration runner (engine sqlx only).")
    private SqlxSpec sqlx;

    @JsonPropertyDescription("How the application image's Alembic is run (engine alembic only).")
    private AlembicSpec alembic;

    @JsonPropertyDescription("The tool to run and how to read its revision (engine command only).")
    private CommandSpec command;

    @Default("latest")
    @Pattern(TARGET_PATTERN)
    @JsonPropertyDescription("The schema version to migrate to: 'latest' applies every migration, a version "
            + "(for example '4' or '2.1') never migrates past it. A version lower than the database's current "
            + "one is refused, nothing is changed, unless spec.downgrade.allowed. Engine alembic takes Alembic's own: latest (which is head), "
            + "head, heads, or a revision id.")
    private String target = "latest";

    @Size(max = MAX_CHECKS)
    @ValidationRule(
            value = "self.all(check, self.exists_one(other, other.name == check.name))",
            message = "spec.verify: each check needs a name of its own")
    @JsonPropertyDescription("Checks the schema must pass, run after every successful run and at every resync: a "
            + "failing one stalls the resource (VerifyFailed, or VerifyError when the query fails to run) and pods "
            + "that need a revision past the one last verified stay held.")
    private List<VerifySpec> verify;

    @JsonPropertyDescription("What risky statements in pending scripts do to their run, per class, as found by "
            + "PostgreSQL's own parser (ConfigMap sources of engines flyway and sqlx).")
    private PolicySpec policy;

    @JsonPropertyDescription(
            "A rehearsal of each run on a schema-only copy of the database, before it touches the real one.")
    private RehearsalSpec rehearsal;

    @JsonPropertyDescription("Whether each run waits for the approval of its exact plan (status.plan).")
    private ApprovalSpec approval;

    @JsonPropertyDescription("A pg_dump of the migrated schemas before every run, into a volume.")
    private BackupSpec backup;

    @JsonPropertyDescription("Whether a spec.target below the database's revision may migrate it down.")
    private DowngradeSpec downgrade;

    @JsonPropertyDescription("Take over a database whose schema was built without this engine: its history is "
            + "recorded up to a version, once, without running those scripts.")
    private AdoptSpec adopt;

    @JsonPropertyDescription("Settings of the Kubernetes Job that runs the migrations.")
    private JobSpec job = new JobSpec();

    @JsonPropertyDescription("Gating of the pods that opt in with the label schemagate.io/migration: <name>.")
    private GateSpec gate = new GateSpec();

    @Default("false")
    @JsonPropertyDescription("When true no new migration run is started; a run in progress finishes.")
    private boolean suspend;

    public DatabaseSpec getDatabase() {
        return database;
    }

    public void setDatabase(DatabaseSpec database) {
        this.database = database;
    }

    public SourceSpec getSource() {
        return source;
    }

    public void setSource(SourceSpec source) {
        this.source = source;
    }

    public Engine getEngine() {
        return engine;
    }

    public void setEngine(Engine engine) {
        this.engine = engine;
    }

    public SqlxSpec getSqlx() {
        return sqlx;
    }

    public void setSqlx(SqlxSpec sqlx) {
        this.sqlx = sqlx;
    }

    /** The shape of the history table the revision is read from: the engine's, or the command's tool's. */
    @JsonIgnore
    public HistoryFormat historyFormat() {
        Engine chosen = engine == null ? Engine.flyway : engine;
        return chosen.format().orElseGet(() -> command.getHistory().getFormat());
    }

    /** Whether a run waits for its plan to be approved. */
    @JsonIgnore
    public boolean approvalRequired() {
        return approval != null && approval.isRequired();
    }

    /** Whether the approver must be another user than the spec's last author. */
    @JsonIgnore
    public boolean distinctApproverRequired() {
        return approval != null && approval.isDistinctApprover();
    }

    /** Whether runs are rehearsed on a scratch copy first. */
    @JsonIgnore
    public boolean rehearses() {
        return rehearsal != null && rehearsal.isEnabled();
    }

    public RehearsalSpec getRehearsal() {
        return rehearsal;
    }

    public void setRehearsal(RehearsalSpec rehearsal) {
        this.rehearsal = rehearsal;
    }

    public PolicySpec getPolicy() {
        return policy;
    }

    public void setPolicy(PolicySpec policy) {
        this.policy = policy;
    }

    public ApprovalSpec getApproval() {
        return approval;
    }

    public void setApproval(ApprovalSpec approval) {
        this.approval = approval;
    }

    /** Whether runs dump the schemas first. */
    @JsonIgnore
    public boolean backsUp() {
        return backup != null && backup.isEnabled();
    }

    /** Whether a target below the database's revision migrates it down. */
    @JsonIgnore
    public boolean downgradeAllowed() {
        return downgrade != null && downgrade.isAllowed();
    }

    public BackupSpec getBackup() {
        return backup;
    }

    public void setBackup(BackupSpec backup) {
        this.backup = backup;
    }

    public DowngradeSpec getDowngrade() {
        return downgrade;
    }

    public void setDowngrade(DowngradeSpec downgrade) {
        this.downgrade = downgrade;
    }

    public AdoptSpec getAdopt() {
        return adopt;
    }

    public void setAdopt(AdoptSpec adopt) {
        this.adopt = adopt;
    }

    public List<VerifySpec> getVerify() {
        return verify;
    }

    public void setVerify(List<VerifySpec> verify) {
        this.verify = verify;
    }

    public AlembicSpec getAlembic() {
        return alembic;
    }

    public void setAlembic(AlembicSpec alembic) {
        this.alembic = alembic;
    }

    public CommandSpec getCommand() {
        return command;
    }

    public void setCommand(CommandSpec command) {
        this.command = command;
    }

    public FlywaySpec getFlyway() {
        return flyway;
    }

    public void setFlyway(FlywaySpec flyway) {
        this.flyway = flyway;
    }

    public String getTarget() {
        return target;
    }

    public void setTarget(String target) {
        this.target = target;
    }

    public JobSpec getJob() {
        return job;
    }

    public void setJob(JobSpec job) {
        this.job = job;
    }

    public boolean isSuspend() {
        return suspend;
    }

    public void setSuspend(boolean suspend) {
        this.suspend = suspend;
    }

    public GateSpec getGate() {
        return gate;
    }

    public void setGate(GateSpec gate) {
        this.gate = gate;
    }
}
