package io.schemagate.db;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * The checksum Flyway stores in its history table for an SQL migration, computed without Flyway:
 * a CRC32 fed line by line (so line endings do not count), without a leading byte order mark.
 * Matches Flyway 11 for versioned migrations; a repeatable migration's checksum is taken after
 * placeholder replacement, so it only matches when the script has no placeholders.
 */
public final class FlywayChecksum {

    private static final char BYTE_ORDER_MARK = '\ufeff';

    private FlywayChecksum() {}

    public static int of(String content) {
        CRC32 crc = new CRC32();
        try (BufferedReader reader = new BufferedReader(new StringReader(content))) {
            String line = reader.readLine();
            if (line != null && !line.isEmpty() && line.charAt(0) == BYTE_ORDER_MARK) {
                line = line.substring(1);
            }
            while (line != null) {
                crc.update(line.getBytes(StandardCharsets.UTF_8));
                line = reader.readLine();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return (int) crc.getValue();
    }
}
