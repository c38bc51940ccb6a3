package io.schemagate.db;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * A database URL as people and providers write it, turned into what SchemaGate connects with: a
 * PostgreSQL JDBC URL that carries no credentials, and the user and password the URL carried. The
 * accepted forms:
 *
 * <ul>
 *   <li>{@code jdbc:postgresql://[user[:password]@]host[:port][,host[:port]...][/database][?parameters]},
 *       passed on as it is but for the user information, which the driver does not take there;
 *   <li>libpq's connection URIs, {@code postgresql://} or {@code postgres://} with the same parts,
 *       percent-encoded as libpq decodes them (CloudNativePG's {@code uri}, a Heroku-style {@code
 *       DATABASE_URL}); their parameters {@code sslmode}, {@code sslrootcert}, {@code sslcert},
 *       {@code sslkey}, {@code options}, {@code application_name}, {@code connect_timeout} and
 *       {@code target_session_attrs} become the driver's.
 * </ul>
 *
 * A URL that cannot be used is refused with what is wrong and how to write it; the message never
 * holds the password.
 */
public record ConnectionUrl(
        String jdbcUrl, @Nullable String user, @Nullable String password) {
    /** How to write a URL, for the messages of refusals. */
    public static final String FORMS = "jdbc:postgresql://host:5432/database, or a libpq URI such as"
            + " postgresql://user:password@host:5432/database?sslmode=require (user and password"
            + " percent-encoded)";

    private static final List<String> LIBPQ_SCHEMES = List.of("postgresql://", "postgres://");
    /** libpq's parameter names and the JDBC driver's for the same setting. */
    private static final Map<String, String> LIBPQ_TO_JDBC = Map.of(
            "sslmode", "sslmode",
            "sslrootcert", "sslrootcert",
            "sslcert", "sslcert",
            "sslkey", "sslkey",
            "options", "options",
            "application_name", "ApplicationName",
            "connect_timeout", "connectTimeout",
            "target_session_attrs", "targetServerType");
    /** libpq's target_session_attrs values and the driver's targetServerType for each. */
    private static final Map<String, String> SESSION_ATTRS = Map.of(
            "any", "any",
            "read-write", "primary",
            "primary", "primary",
            "read-only", "secondary",
            "standby", "secondary",
            "prefer-standby", "preferSecondary");

    /** Why a URL cannot be used, in words that never hold its password. */
    public static final class InvalidUrl extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidUrl(String message) {
            super(message + "; write it as " + FORMS);
        }
    }

    /** Reads a URL of one of the accepted forms. */
    public static ConnectionUrl parse(String url) throws InvalidUrl {
        String trimmed = url.strip();
        if (trimmed.startsWith(JdbcUrls.PREFIX)) {
            return parts(trimmed.substring(JdbcUrls.PREFIX.length()), true);
        }
        for (String scheme : LIBPQ_SCHEMES) {
            if (trimmed.startsWith(scheme)) {
                return parts(trimmed.substring(scheme.length()), false);
            }
        }
        int colon = trimmed.indexOf(':');
        throw new InvalidUrl(
                colon > 0 && colon < 20
                        ? "the database URL's scheme " + trimmed.substring(0, colon) + ": is not PostgreSQL's"
                        : "the database URL has no scheme SchemaGate knows");
    }

    /** The connection, with these credentials where given (a credentials Secret wins over the URL's). */
    public DatabaseConnection connection(@Nullable String secretUser, @Nullable String secretPassword) {
        return secretUser != null
                ? new DatabaseConnection(jdbcUrl, secretUser, secretPassword)
                : new DatabaseConnection(jdbcUrl, user, password);
    }

    /** @param jdbc whether rest follows jdbc:postgresql:// rather than a libpq scheme */
    private static ConnectionUrl parts(String rest, boolean jdbc) throws InvalidUrl {
        int query = rest.indexOf('?');
        String beforeQuery = query < 0 ? rest : rest.substring(0, query);
        int slash = beforeQuery.indexOf('/');
        String authority = slash < 0 ? beforeQuery : beforeQuery.substring(0, slash);
        String path = slash < 0 ? "" : beforeQuery.substring(slash + 1);
        int at = authority.lastIndexOf('@');
        String hosts = authority.substring(at + 1);
        if (hosts.isEmpty() || hosts.startsWith(",") || hosts.endsWith(",") || hosts.contains(",,")) {
            throw new InvalidUrl("the database URL names no host, or an empty one in its host list");
        }
        String user = null;
        String password = null;
        if (at >= 0) {
            String userInfo = authority.substring(0, at);
            int colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon), "user name");
            password = colon < 0 ? null : decode(userInfo.substring(colon + 1), "password");
        }
        if (jdbc) {
            // The driver's own URL: its parameters (user and password among them) are the driver's to read.
            return new ConnectionUrl(JdbcUrls.PREFIX + rest.substring(at + 1), user, password);
        }
        String database = decode(path, "database name");
        Map<String, String> parameters = new LinkedHashMap<>();
        if (query >= 0) {
            for (String parameter : rest.substring(query + 1).split("&", -1)) {
                if (parameter.isEmpty()) {
                    continue;
                }
                int equals = parameter.indexOf('=');
                String key = decode(equals < 0 ? parameter : parameter.substring(0, equals), "parameter name");
                String value = equals < 0 ? "" : decode(parameter.substring(equals + 1), "value of " + key);
                if (key.equals("user")) {
                    user = value;
                } else if (key.equals("password")) {
                    password = value;
                } else {
                    parameters.put(jdbcName(key), jdbcValue(key, value));
                }
            }
        }
        StringBuilder jdbcUrl =
                new StringBuilder(JdbcUrls.PREFIX).append(hosts).append('/').append(encode(database));
        if (!parameters.isEmpty()) {
            jdbcUrl.append('?')
                    .append(parameters.entrySet().stream()
                            .map(entry -> encode(entry.getKey()) + "=" + encode(entry.getValue()))
                            .collect(Collectors.joining("&")));
        }
        return new ConnectionUrl(jdbcUrl.toString(), user, password);
    }

    private static String jdbcName(String libpqName) throws InvalidUrl {
        String name = LIBPQ_TO_JDBC.get(libpqName);
        if (name == null) {
            throw new InvalidUrl("the database URL's parameter " + libpqName + " is not one SchemaGate can hand"
                    + " to the JDBC driver (it takes "
                    + String.join(", ", LIBPQ_TO_JDBC.keySet().stream().sorted().toList()) + ")");
        }
        return name;
    }

    private static String jdbcValue(String libpqName, String value) throws InvalidUrl {
        if (!libpqName.equals("target_session_attrs")) {
            return value;
        }
        String mapped = SESSION_ATTRS.get(value.toLowerCase(Locale.ROOT));
        if (mapped == null) {
            throw new InvalidUrl("the database URL's target_session_attrs=" + value + " is not one of "
                    + String.join(", ", SESSION_ATTRS.keySet().stream().sorted().toList()));
        }
        return mapped;
    }

    /** libpq's percent-decoding: %XX is a byte, everything else itself (a '+' stays a '+'). */
    private static String decode(String text, String part) throws InvalidUrl {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '%') {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            if (i + 2 >= text.length()
                    || Character.digit(text.charAt(i + 1), 16) < 0
                    || Character.digit(text.charAt(i + 2), 16) < 0) {
                throw new InvalidUrl("the database URL's " + part
                        + " has a % that is not followed by two hexadecimal digits (write a % as %25)");
            }
            bytes.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
            i += 2;
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public String toString() {
        return "ConnectionUrl[jdbcUrl=" + jdbcUrl + ", user=" + user + "]";
    }
}
