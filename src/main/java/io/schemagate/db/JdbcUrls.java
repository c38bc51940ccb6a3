package io.schemagate.db;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds the credentials a JDBC URL may carry (user-info before the host, a {@code password}
 * parameter) so they can be kept out of logs, results and status.
 */
public final class JdbcUrls {

    public static final String MASK = "****";
    /** The only URLs SchemaGate connects to: PostgreSQL's JDBC URLs with a host part. */
    public static final String PREFIX = "jdbc:postgresql://";
    /** What {@link #isPostgres} asks of a URL, in the words of an error message. */
    public static final String REQUIREMENT =
            "a PostgreSQL JDBC URL starting with " + PREFIX + ", like jdbc:postgresql://host:5432/database";

    private JdbcUrls() {}

    /**
     * The one rule for a database URL, applied by the CRD's schema (as a pattern on {@link #PREFIX}),
     * the operator (for a URL read from a Secret) and the runner (for its environment).
     */
    public static boolean isPostgres(String url) {
        return url.startsWith(PREFIX);
    }

    /** The URL with user-info removed and any password parameter masked. */
    public static String withoutCredentials(String url) {
        StringBuilder result = new StringBuilder(url);
        int query = url.indexOf('?');
        if (query >= 0) {
            int start = query + 1;
            while (start < result.length()) {
                int end = result.indexOf("&", start);
                end = end < 0 ? result.length() : end;
                int equals = result.indexOf("=", start);
                if (equals > start && equals < end && isPasswordKey(result.substring(start, equals))) {
                    result.replace(equals + 1, end, MASK);
                    end = equals + 1 + MASK.length();
                }
                start = end + 1;
            }
        }
        int authorityStart = url.indexOf("//");
        if (authorityStart >= 0) {
            int authorityEnd = indexOfAny(url, authorityStart + 2, '/', '?');
            int at = url.lastIndexOf('@', authorityEnd - 1);
            if (at > authorityStart) {
                result.delete(authorityStart + 2, at + 1);
            }
        }
        return result.toString();
    }

    /** The same URL on another database of the same server, with the same parameters. */
    public static String withDatabase(String url, String database) {
        int pathStart = url.indexOf('/', PREFIX.length());
        int query = url.indexOf('?', PREFIX.length());
        int hostEnd =
                pathStart >= 0 && (query < 0 || pathStart < query) ? pathStart : (query < 0 ? url.length() : query);
        String parameters = query < 0 ? "" : url.substring(query);
        return url.substring(0, hostEnd) + "/" + URLEncoder.encode(database, StandardCharsets.UTF_8) + parameters;
    }

    /** The secret substrings of the URL: its user-info and password parameter values, raw and decoded. */
    public static List<String> secretsIn(String url) {
        List<String> secrets = new ArrayList<>();
        int authorityStart = url.indexOf("//");
        if (authorityStart >= 0) {
            int authorityEnd = indexOfAny(url, authorityStart + 2, '/', '?');
            String authority = url.substring(authorityStart + 2, authorityEnd);
            int at = authority.lastIndexOf('@');
            if (at > 0) {
                addWithDecoded(secrets, authority.substring(0, at));
            }
        }
        int query = url.indexOf('?');
        if (query >= 0) {
            for (String parameter : url.substring(query + 1).split("&", -1)) {
                int equals = parameter.indexOf('=');
                if (equals > 0 && isPasswordKey(parameter.substring(0, equals))) {
                    addWithDecoded(secrets, parameter.substring(equals + 1));
                }
            }
        }
        return secrets;
    }

    private static boolean isPasswordKey(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        return lower.equals("password") || lower.equals("sslpassword");
    }

    private static void addWithDecoded(List<String> secrets, String value) {
        if (value.isEmpty()) {
            return;
        }
        secrets.add(value);
        String decoded = URLDecoder.decode(value, StandardCharsets.UTF_8);
        if (!decoded.equals(value)) {
            secrets.add(decoded);
        }
    }

    private static int indexOfAny(String text, int from, char... characters) {
        for (int i = from; i < text.length(); i++) {
            for (char c : characters) {
                if (text.charAt(i) == c) {
                    return i;
                }
            }
        }
        return text.length();
    }
}
