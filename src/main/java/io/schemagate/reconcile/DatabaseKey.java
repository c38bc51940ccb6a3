package io.schemagate.reconcile;

import io.schemagate.db.HistoryTable;
import io.schemagate.db.JdbcUrls;
import io.schemagate.support.Digests;

/**
 * Names a schema history table across resources: two resources with the same key would migrate the
 * same schema, so their runs are serialized. A hash, as it becomes a label value.
 */
final class DatabaseKey {
    private DatabaseKey() {}

    static String of(String jdbcUrl, HistoryTable table) {
        return Digests.sha256(JdbcUrls.withoutCredentials(jdbcUrl) + "\n" + table)
                .substring(0, 16);
    }
}
