package io.schemagate.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The rules, over one statement's parse tree (libpg_query's JSON, node names as in PostgreSQL's
 * parsenodes.h): each says why the statement is risky and what to do instead.
 */
final class Rules {
    /** What one rule found in a statement. */
    record Found(RiskClass riskClass, String rule, String why, String instead) {}

    private final JsonNode node;
    private final Set<String> createdInPlan;
    private final List<Found> found = new ArrayList<>();

    /** @param createdInPlan the tables created by earlier statements of the plan */
    Rules(ChangeReview.Statement statement, Set<String> createdInPlan) {
        this.node = statement.node();
        this.createdInPlan = createdInPlan;
    }

    List<Found> findings() {
        drop(node.path("DropStmt"));
        if (node.has("TruncateStmt")) {
            add(
                    RiskClass.destructive,
                    "truncate",
                    "TRUNCATE deletes every row of the table",
                    "delete the rows a migration must delete with a WHERE, or archive them first");
        }
        if (node.has("DeleteStmt") && !node.path("DeleteStmt").has("whereClause")) {
            add(
                    RiskClass.destructive,
                    "delete-without-where",
                    "DELETE without WHERE deletes every row",
                    "add a WHERE that names the rows to delete");
        }
        if (node.has("UpdateStmt") && !node.path("UpdateStmt").has("whereClause")) {
            add(
                    RiskClass.destructive,
                    "update-without-where",
                    "UPDATE without WHERE rewrites every row, and holds a lock on each until it commits",
                    "add a WHERE, and update a large table in batches");
        }
        rename(node.path("RenameStmt"));
        alterTable(node.path("AlterTableStmt"));
        index(node.path("IndexStmt"));
        return found;
    }

    private void drop(JsonNode drop) {
        String type = drop.path("removeType").asText("");
        switch (type) {
            case "OBJECT_TABLE" ->
                add(
                        RiskClass.destructive,
                        "drop-table",
                        "DROP TABLE deletes the table and its data, and pods still reading it fail",
                        "stop using the table in a release first; drop it in a later migration, after a backup");
            case "OBJECT_SCHEMA" ->
                add(
                        RiskClass.destructive,
                        "drop-schema",
                        "DROP SCHEMA deletes the schema and, with CASCADE, everything in it",
                        "drop the objects one by one, after a backup");
            case "OBJECT_TYPE", "OBJECT_DOMAIN" ->
                add(
                        RiskClass.destructive,
                        "drop-type",
                        "DROP TYPE removes a type that columns or functions may still use",
                        "drop it once nothing uses it, in a later migration");
            default -> {}
        }
    }

    private void rename(JsonNode rename) {
        String type = rename.path("renameType").asText("");
        if (type.equals("OBJECT_TABLE")) {
            add(
                    RiskClass.breaking,
                    "rename-table",
                    "running pods still query the old name and fail",
                    "create the new table (or a view with the old name), move the code, then drop the old name");
        } else if (type.equals("OBJECT_COLUMN")) {
            add(
                    RiskClass.breaking,
                    "rename-column",
                    "running pods still use the old column name and fail",
                    "add the new column, write both in a release, backfill, then drop the old one");
        }
    }

    private void alterTable(JsonNode alter) {
        if (alter.isMissingNode()) {
            return;
        }
        boolean live = isLive(alter.path("relation"));
        ChangeReview.Statement.each(alter.path("cmds"))
                .map(cmd -> cmd.path("AlterTableCmd"))
                .forEach(cmd -> {
                    String subtype = cmd.path("subtype").asText("");
                    JsonNode def = cmd.path("def");
                    switch (subtype) {
                        case "AT_DropColumn" ->
                            add(
                                    RiskClass.destructive,
                                    "drop-column",
                                    "DROP COLUMN deletes the column's data, and pods still reading it fail",
                                    "stop using the column in a release first; drop it in a later migration");
                        case "AT_AlterColumnType" -> {
                            add(
                                    RiskClass.breaking,
                                    "alter-column-type",
                                    "running pods read and write the column with its old type",
                                    "add a column of the new type, write both, backfill, then switch");
                            if (live) {
                                add(
                                        RiskClass.locking,
                                        "column-type-rewrite",
                                        "ALTER COLUMN ... TYPE rewrites the table"
                                                + " (most type changes) under an ACCESS EXCLUSIVE lock",
                                        "add a new column and backfill it in batches instead");
                            }
                        }
                        case "AT_ColumnDefault" -> {
                            if (!def.has("Constraint") && !hasExpression(def) && live) {
                                add(
                                        RiskClass.breaking,
                                        "drop-default",
                                        "pods that insert without the column count on its default",
                                        "drop the default once no running code relies on it");
                            }
                        }
                        case "AT_SetNotNull" -> {
                            if (live) {
                                add(
                                        RiskClass.locking,
                                        "set-not-null",
                                        "SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock",
                                        "add CHECK (column IS NOT NULL) NOT VALID, VALIDATE it,"
                                                + " then SET NOT NULL, which then needs no scan");
                            }
                        }
                        case "AT_AddColumn" -> addColumn(def.path("ColumnDef"), live);
                        case "AT_AddConstraint" -> addConstraint(def.path("Constraint"), live);
                        default -> {}
                    }
                });
    }

    private void addColumn(JsonNode column, boolean live) {
        List<String> kinds = ChangeReview.Statement.each(column.path("constraints"))
                .map(constraint -> constraint.path("Constraint").path("contype").asText())
                .toList();
        if (live && kinds.contains("CONSTR_NOTNULL") && !kinds.contains("CONSTR_DEFAULT")) {
            add(
                    RiskClass.locking,
                    "add-column-not-null-without-default",
                    "a NOT NULL column without a default"
                            + " fails on a table with rows, and pods inserting without it fail",
                    "add it with a DEFAULT, or nullable first and SET NOT NULL after a backfill");
        }
    }

    private void addConstraint(JsonNode constraint, boolean live) {
        String type = constraint.path("contype").asText("");
        boolean validated = !constraint.path("skip_validation").asBoolean(false);
        if (!live || !validated) {
            return;
        }
        if (type.equals("CONSTR_FOREIGN")) {
            add(
                    RiskClass.locking,
                    "add-foreign-key-validated",
                    "ADD FOREIGN KEY checks every row while it locks both tables against writes",
                    "add it NOT VALID, then VALIDATE CONSTRAINT in a later migration");
        } else if (type.equals("CONSTR_CHECK")) {
            add(
                    RiskClass.locking,
                    "add-check-validated",
                    "ADD CHECK scans every row under an ACCESS EXCLUSIVE lock",
                    "add it NOT VALID, then VALIDATE CONSTRAINT in a later migration");
        }
    }

    private void index(JsonNode index) {
        if (!index.isMissingNode() && !index.path("concurrent").asBoolean(false) && isLive(index.path("relation"))) {
            add(
                    RiskClass.locking,
                    "create-index-blocking",
                    "CREATE INDEX without CONCURRENTLY blocks writes to the table while it builds",
                    "CREATE INDEX CONCURRENTLY, in a script of its own (outside a transaction)");
        }
    }

    /** A table this plan did not create: pods may be using it now. */
    private boolean isLive(JsonNode relation) {
        String table = ChangeReview.Statement.table(relation);
        String unqualified = relation.path("relname").asText();
        return !createdInPlan.contains(table) && !createdInPlan.contains(unqualified);
    }

    private static boolean hasExpression(JsonNode def) {
        return !def.isMissingNode() && !def.isNull() && def.size() > 0;
    }

    private void add(RiskClass riskClass, String rule, String why, String instead) {
        found.add(new Found(riskClass, rule, why, instead));
    }
}
