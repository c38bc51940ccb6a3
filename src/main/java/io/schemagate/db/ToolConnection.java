package io.schemagate.db;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A connection as other tools take it: a libpq URL in {@code DATABASE_URL} (user, password and
 * database percent-encoded, so that any password works) and libpq's {@code PG*} variables, from
 * the JDBC URL and credentials SchemaGate itself connects with. Of the URL's parameters only
 * {@code sslmode} carries over: the others are the JDBC driver's own.
 */
public final class ToolConnection {
    /** Every variable {@link #environment} may set: a tool reads the migration's connection from these alone. */
    public static final Set<String> VARIABLES = Set.of(
            "DATABASE_URL",
            "PGHOST",
            "PGPORT",
            "PGDATABASE",
            "PGUSER",
            "PGPASSWORD",
            "PGSSLMODE",
            "LIQUIBASE_COMMAND_URL",
            "LIQUIBASE_COMMAND_USERNAME",
            "LIQUIBASE_COMMAND_PASSWORD",
            "LIQUIBASE_ANALYTICS_ENABLED");

    private ToolConnection() {}

    /**
     * The libpq variables, and for a tool that reads a JDBC URL from variables of its own (Liquibase's
     * {@code LIQUIBASE_COMMAND_*}) those too, with its usage analytics off: nothing about the database
     * leaves the cluster because a migration ran. The JDBC URL is the one SchemaGate connects with.
     */
    public static Map<String, String> environment(DatabaseConnection connection, HistoryFormat format) {
        Map<String, String> environment = environment(connection);
        environment.putAll(format.dialect().toolEnvironment(connection, environment));
        return environment;
    }

    /** Variable name to value; the values hold the password, so they belong in a Secret only. */
    public static Map<String, String> environment(DatabaseConnection connection) {
        String url = connection.jdbcUrl();
        String afterPrefix = url.substring(JdbcUrls.PREFIX.length());
        int query = afterPrefix.indexOf('?');
        String path = query < 0 ? afterPrefix : afterPrefix.substring(0, query);
        Map<String, String> parameters = query < 0 ? Map.of() : parameters(afterPrefix.substring(query + 1));
        int slash = path.indexOf('/');
        String authority = slash < 0 ? path : path.substring(0, slash);
        // User info before the host, as some Secrets' URLs carry it, is credentials, not a host.
        int at = authority.lastIndexOf('@');
        String hosts = authority.substring(at + 1);
        String[] userInfo = at < 0 ? new String[0] : authority.substring(0, at).split(":", 2);
        String database = slash < 0 ? "" : decode(path.substring(slash + 1));
        String user = Optional.ofNullable(connection.username())
                .or(() -> Optional.ofNullable(parameters.get("user")))
                .orElse(userInfo.length > 0 ? decode(userInfo[0]) : null);
        String password = Optional.ofNullable(connection.password())
                .or(() -> Optional.ofNullable(parameters.get("password")))
                .orElse(userInfo.length > 1 ? decode(userInfo[1]) : null);
        String firstHost = hosts.split(",", -1)[0];
        int colon = firstHost.lastIndexOf(':');
        boolean hasPort = colon > 0 && !firstHost.endsWith("]");

        StringBuilder databaseUrl = new StringBuilder("postgresql://");
        if (user != null) {
            databaseUrl.append(urlEncoded(user));
            if (password != null) {
                databaseUrl.append(':').append(urlEncoded(password));
            }
            databaseUrl.append('@');
        }
        databaseUrl.append(hosts).append('/').append(urlEncoded(database));
        String sslMode = parameters.get("sslmode");
        if (sslMode != null) {
            databaseUrl.append("?sslmode=").append(urlEncoded(sslMode));
        }
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("DATABASE_URL", databaseUrl.toString());
        environment.put("PGHOST", hasPort ? firstHost.substring(0, colon) : firstHost);
        environment.put("PGPORT", hasPort ? firstHost.substring(colon + 1) : "5432");
        environment.put("PGDATABASE", database);
        if (user != null) {
            environment.put("PGUSER", user);
        }
        if (password != null) {
            environment.put("PGPASSWORD", password);
        }
        if (sslMode != null) {
            environment.put("PGSSLMODE", sslMode);
        }
        return environment;
    }

    private static Map<String, String> parameters(String query) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : query.split("&", -1)) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                parameters.put(decode(pair.substring(0, equals)), decode(pair.substring(equals + 1)));
            }
        }
        return parameters;
    }

    /** RFC 3986 percent-encoding: everything but the unreserved characters, as UTF-8 bytes. */
    public static String urlEncoded(String text) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '.' || c == '_' || c == '~')) {
                encoded.append(c);
            } else {
                encoded.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return encoded.toString();
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
