package io.schemagate.db;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A migration version ordered the way Flyway orders them: numerically part by part, so 1.10 comes
 * after 1.9, and trailing zero parts do not count (1.0 equals 1). {@link #LATEST} is above every version.
 */
public final class Version implements Comparable<Version> {

    public static final Version LATEST = new Version(List.of(), "latest");

    private static final Pattern FORMAT = Pattern.compile("\\d+([._]\\d+)*");
    private static final Pattern SEPARATOR = Pattern.compile("[._]");

    private final List<BigInteger> parts;
    private final String text;

    private Version(List<BigInteger> parts, String text) {
        this.parts = parts;
        this.text = text;
    }

    /**
     * Parses {@code latest} or a version such as {@code 2}, {@code 1.10} or {@code 2024_01_15}
     * (Flyway accepts underscores as separators and shows them as dots).
     */
    public static Version parse(String text) {
        Objects.requireNonNull(text, "version");
        String trimmed = text.trim();
        if (trimmed.equalsIgnoreCase(LATEST.text)) {
            return LATEST;
        }
        if (!FORMAT.matcher(trimmed).matches()) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a version: expected 'latest' or numbers separated by dots, such as 1.2.3");
        }
        List<BigInteger> parts = new ArrayList<>();
        for (String part : SEPARATOR.split(trimmed, -1)) {
            parts.add(new BigInteger(part));
        }
        while (parts.size() > 1 && parts.get(parts.size() - 1).signum() == 0) {
            parts.remove(parts.size() - 1);
        }
        return new Version(List.copyOf(parts), trimmed.replace('_', '.'));
    }

    public static boolean isValid(String text) {
        return text != null
                && (text.trim().equalsIgnoreCase(LATEST.text)
                        || FORMAT.matcher(text.trim()).matches());
    }

    @SuppressWarnings("ReferenceEquality") // parse gives every "latest" the one LATEST, and equals asks this
    public boolean isLatest() {
        return this == LATEST;
    }

    @Override
    public int compareTo(Version other) {
        if (this == other) {
            return 0;
        }
        if (isLatest() || other.isLatest()) {
            return isLatest() ? 1 : -1;
        }
        for (int i = 0; i < Math.max(parts.size(), other.parts.size()); i++) {
            int compared = partAt(i).compareTo(other.partAt(i));
            if (compared != 0) {
                return compared;
            }
        }
        return 0;
    }

    private BigInteger partAt(int index) {
        return index < parts.size() ? parts.get(index) : BigInteger.ZERO;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Version version && compareTo(version) == 0;
    }

    @Override
    public int hashCode() {
        return isLatest() ? 0 : parts.hashCode();
    }

    /** The version as Flyway displays it (underscores become dots, leading zeros stay). */
    @Override
    public String toString() {
        return text;
    }
}
