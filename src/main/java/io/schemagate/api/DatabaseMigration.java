package io.schemagate.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Default;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A database schema, the migrations that build it, and the revision it is at. */
@Group(DatabaseMigration.GROUP)
@Version(DatabaseMigration.VERSION)
@ShortNames({"dbm", "dbmigration"})
// In the order of a row (PrinterColumnOrder): state first, the age last of the default columns, as
// kubectl shows built-in kinds; -o wide adds what a run was and how many pods wait for it.
@AdditionalPrinterColumn(
        name = "Ready",
        type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(
        name = "Revision",
        type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.revision.current")
@AdditionalPrinterColumn(
        name = "Target",
        type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.revision.target")
@AdditionalPrinterColumn(
        name = "Reason",
        type = AdditionalPrinterColumn.Type.STRING,
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason")
@AdditionalPrinterColumn(
        name = "Age",
        type = AdditionalPrinterColumn.Type.DATE,
        jsonPath = ".metadata.creationTimestamp")
@AdditionalPrinterColumn(
        name = "Engine",
        type = AdditionalPrinterColumn.Type.STRING,
        priority = 1,
        jsonPath = ".spec.engine")
@AdditionalPrinterColumn(
        name = "Last Run",
        type = AdditionalPrinterColumn.Type.STRING,
        priority = 1,
        jsonPath = ".status.lastRun.job")
@AdditionalPrinterColumn(
        name = "Gated",
        type = AdditionalPrinterColumn.Type.INTEGER,
        priority = 1,
        jsonPath = ".status.gatedPods")
@AdditionalPrinterColumn(
        name = "Message",
        type = AdditionalPrinterColumn.Type.STRING,
        priority = 1,
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].message")
public class DatabaseMigration extends CustomResource<DatabaseMigrationSpec, DatabaseMigrationStatus>
        implements Namespaced {
    public static final String GROUP = "schemagate.io";
    public static final String VERSION = "v1alpha1";

    /**
     * The API server gives a resource it stores without a status this one: observed generation -1,
     * below any generation. kstatus, with which Flux judges health, calls a resource without
     * {@code status.observedGeneration} Current, so a new resource would pass Flux's health checks
     * before the operator had read its database; with this status it is in progress until then.
     */
    @Override
    @Default("{\"observedGeneration\":-1}")
    public DatabaseMigrationStatus getStatus() {
        return super.getStatus();
    }
}
