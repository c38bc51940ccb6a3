package io.schemagate.reconcile;

import io.schemagate.db.JdbcUrls;
import io.schemagate.db.HistoryTable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Names a schema history table across resources: two resources with the same key would migrate the
 * same schema, so their runs are serialized. A hash, as it becomes a label value.
 */
final class DatabaseKey {
    private DatabaseKey() {
    }

    static String of(String jdbcUrl, HistoryTable table) {
        return Digests.sha256(JdbcUrls.withoutCredentials(jdbcUrl) + "\n" + table).substring(0, 16);
    }

    /** SHA-256 in hex. */
    static final class Digests {
        private Digests() {
        }

        static String sha256(String text) {
            try {
                return HexFormat.of().formatHex(
                        MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java runtime provides SHA-256", e);
            }
        }
    }
}
