package io.schemagate.db;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The SQL migrations of one source (the scripts of one or more ConfigMaps, merged by file name),
 * understood the way its engine will understand them, without a database.
 */
public final class MigrationSet {

    private final List<Migration> versioned;
    private final List<Migration> repeatable;
    private final List<String> errors;
    private final String digest;

    private MigrationSet(List<Migration> versioned, List<Migration> repeatable, List<String> errors, String digest) {
        this.versioned = versioned;
        this.repeatable = repeatable;
        this.errors = errors;
        this.digest = digest;
    }

    /** Flyway's reading of the scripts. */
    public static MigrationSet of(Map<String, String> scripts) {
        return of(ScriptConvention.FLYWAY, scripts);
    }

    /**
     * @param scripts file name to content; files that are not {@code .sql} are ignored, as every
     *     engine does, and so are those the convention ignores
     */
    public static MigrationSet of(ScriptConvention convention, Map<String, String> scripts) {
        SortedMap<String, String> sqlScripts = new TreeMap<>();
        scripts.forEach((fileName, content) -> {
            if (MigrationName.isSqlScript(fileName)) {
                sqlScripts.put(fileName, content);
            }
        });
        List<Migration> versioned = new ArrayList<>();
        List<Migration> repeatable = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        Map<Version, String> scriptByVersion = new HashMap<>();
        sqlScripts.forEach((fileName, content) -> {
            try {
                convention.scriptName(fileName).ifPresent(name -> {
                    Migration migration = new Migration(name, convention.checksum(content));
                    if (!name.isVersioned()) {
                        repeatable.add(migration);
                        return;
                    }
                    String clash = scriptByVersion.putIfAbsent(name.version(), fileName);
                    if (clash != null) {
                        errors.add(fileName + ": version " + name.version() + " is also used by " + clash);
                    } else {
                        versioned.add(migration);
                    }
                });
            } catch (IllegalArgumentException e) {
                errors.add(e.getMessage());
            }
        });
        versioned.sort(Comparator.comparing(Migration::version));
        repeatable.sort(
                Comparator.comparing((Migration migration) -> migration.name().description()));
        return new MigrationSet(
                List.copyOf(versioned), List.copyOf(repeatable), List.copyOf(errors), digestOf(sqlScripts));
    }

    /** Versioned migrations in the order the engine applies them. */
    public List<Migration> versioned() {
        return versioned;
    }

    /** Repeatable migrations in the order Flyway applies them (after the versioned ones). */
    public List<Migration> repeatable() {
        return repeatable;
    }

    /** One message per SQL file the engine would refuse (bad name, duplicate version); empty when valid. */
    public List<String> errors() {
        return errors;
    }

    public boolean isValid() {
        return errors.isEmpty();
    }

    public Optional<Version> highestVersion() {
        return versioned.isEmpty()
                ? Optional.empty()
                : Optional.ofNullable(versioned.get(versioned.size() - 1).version());
    }

    /**
     * A SHA-256 (hex) over every SQL file's name and content: it changes when any script changes and
     * does not depend on map order nor on which ConfigMap held a file.
     */
    public String digest() {
        return digest;
    }

    /**
     * Versioned migrations of this set that the schema has not applied, up to {@code target}
     * ({@link Version#LATEST} for all). Versions at or below a baseline are never applied, so they
     * are not pending. A version below the current one is pending too: Flyway applies it only
     * when out-of-order migration is allowed, and refuses to migrate otherwise.
     */
    public List<Version> pending(SchemaRevision revision, Version target) {
        Objects.requireNonNull(target, "target");
        Set<Version> applied = revision.appliedVersions();
        Optional<Version> baseline = revision.baseline();
        return versioned.stream()
                .map(Migration::version)
                .filter(version -> version.compareTo(target) <= 0)
                .filter(version -> !applied.contains(version))
                .filter(version ->
                        baseline.map(base -> version.compareTo(base) > 0).orElse(true))
                .toList();
    }

    /**
     * Applied versioned migrations whose script in this set no longer has the checksum the history
     * recorded: someone edited a migration after it ran, and the engine's validation will fail.
     */
    public List<Migration> drifted(SchemaRevision revision) {
        Map<Version, String> recorded = new HashMap<>();
        revision.applied().stream()
                .filter(row -> row.success() && row.isVersioned() && row.checksum() != null)
                .forEach(row -> recorded.put(row.version(), row.checksum()));
        return versioned.stream()
                .filter(migration -> recorded.containsKey(migration.version())
                        && !migration.checksum().equals(recorded.get(migration.version())))
                .toList();
    }

    /** Applied versions below the highest script that no script declares: removed from the source. */
    public List<Version> missing(SchemaRevision revision) {
        return undeclared(revision).stream()
                .filter(version -> highestVersion()
                        .map(highest -> version.compareTo(highest) < 0)
                        .orElse(false))
                .toList();
    }

    /** Applied versions above every script: applied by hand, or by a newer source than this one. */
    public List<Version> ahead(SchemaRevision revision) {
        return undeclared(revision).stream()
                .filter(version -> highestVersion()
                        .map(highest -> version.compareTo(highest) > 0)
                        .orElse(false))
                .toList();
    }

    /** Applied versions (after any baseline) that no script of this set declares, in order. */
    private List<Version> undeclared(SchemaRevision revision) {
        Set<Version> declared = versioned.stream().map(Migration::version).collect(Collectors.toSet());
        Optional<Version> baseline = revision.baseline();
        return revision.appliedVersions().stream()
                .filter(version -> !declared.contains(version))
                .filter(version ->
                        baseline.map(base -> version.compareTo(base) > 0).orElse(true))
                .sorted()
                .toList();
    }

    private static String digestOf(SortedMap<String, String> sqlScripts) {
        MessageDigest sha256 = sha256();
        sqlScripts.forEach((name, content) -> {
            update(sha256, name);
            update(sha256, content);
        });
        return HexFormat.of().formatHex(sha256.digest());
    }

    /** Length-prefixed, so that moving text between a name and a content cannot give the same digest. */
    private static void update(MessageDigest digest, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        digest.update(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());
        digest.update(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }
}
