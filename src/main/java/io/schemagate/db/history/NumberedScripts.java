package io.schemagate.db.history;

import io.schemagate.db.Version;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Script names that begin with their version, as golang-migrate, goose and dbmate write them. */
final class NumberedScripts {

    /** A version Java's long holds, as these tools' own readings do. */
    private static final int MAX_DIGITS = 18;

    private final Pattern forward;

    /** @param forward a forward script's name, its first group the version */
    NumberedScripts(String forward) {
        this.forward = Pattern.compile(forward);
    }

    Optional<Version> version(String fileName) {
        Matcher match = forward.matcher(fileName);
        if (!match.matches() || match.group(1).length() > MAX_DIGITS) {
            return Optional.empty();
        }
        return Optional.of(Version.parse(Long.toString(Long.parseLong(match.group(1)))));
    }
}
