package io.schemagate.contract;

/**
 * A dump the run took before it changed anything (spec.backup), as the operator records it.
 *
 * @param file the dump's name in the backup volume
 * @param sizeBytes its size
 * @param durationMillis how long pg_dump took
 * @param completedAt when it was complete, RFC 3339
 * @param pgDump the pg_dump that wrote it, with its version: what restores it is pg_restore of at least that version
 */
public record BackupRecord(String file, long sizeBytes, long durationMillis, String completedAt, String pgDump) {}
