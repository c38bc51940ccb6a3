package io.schemagate.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.schemagate.db.JdbcUrls;
import java.util.List;

/** Which database to migrate; credentials only ever come from a Secret. */
@ValidationRule(
        value = "has(self.url) != has(self.urlFrom)",
        message = "set exactly one of database.url and database.urlFrom")
@ValidationRule(
        value = "has(self.urlFrom) || has(self.credentialsSecret)",
        message = "database.credentialsSecret is required with database.url; only a URL read from a Secret "
                + "(database.urlFrom) may carry its own credentials")
public class DatabaseSpec {
    /** A PostgreSQL duration setting: 0, or a number with a unit. */
    public static final String SESSION_DURATION = "^(0|[0-9]{1,9}(ms|s|min|h))$";

    public static final String DEFAULT_LOCK_TIMEOUT = "10s";

    @Pattern("^" + JdbcUrls.PREFIX)
    @ValidationRule(
            value = "!self.matches('^jdbc:postgresql://[^/?#]*@') && !self.matches('(?i)[?&](user|password|"
                    + "sslpassword)=')",
            message = "database.url must not carry credentials (user info, user, password or "
                    + "sslpassword parameters), as the resource is readable by anyone who can list it: put them in "
                    + "database.credentialsSecret, or the whole URL in a Secret read with database.urlFrom")
    @JsonPropertyDescription("JDBC URL of the PostgreSQL database, for example "
            + "jdbc:postgresql://orders-db:5432/orders. Must not carry credentials (refused). Alternative to urlFrom.")
    private String url;

    @JsonPropertyDescription("Reads the JDBC URL from a key of a Secret, for URLs that are themselves "
            + "confidential or generated. Such a URL may carry the user and password as parameters (as the "
            + "jdbc-uri key of a CloudNativePG application Secret does); credentialsSecret is then optional. "
            + "Alternative to url.")
    private ValueSource urlFrom;

    @JsonPropertyDescription("The Secret holding the user name and password the migrations run with. Required "
            + "with url; with urlFrom, it overrides credentials the URL may carry.")
    private CredentialsSecret credentialsSecret;

    @JsonPropertyDescription("Schemas managed by the migrations. The first one holds the history table and "
            + "is the default schema of the scripts. Defaults to [public].")
    @Size(min = 1, max = 16)
    @ValidationRule(
            value = "self.all(s, size(s) >= 1 && size(s) <= 63)",
            message = "schema names are PostgreSQL identifiers of 1 to 63 characters")
    private List<String> schemas;

    @Default(DEFAULT_LOCK_TIMEOUT)
    @Pattern(SESSION_DURATION)
    @JsonPropertyDescription("How long a statement of the migrations may wait for a lock (PostgreSQL's "
            + "lock_timeout) before the run fails and is retried with backoff, so that a migration queued "
            + "behind a long application transaction does not block that table's traffic meanwhile. A "
            + "number with ms, s, min or h; 0 waits without limit.")
    private String lockTimeout = DEFAULT_LOCK_TIMEOUT;

    @Pattern(SESSION_DURATION)
    @JsonPropertyDescription("How long one statement of the migrations may run (PostgreSQL's "
            + "statement_timeout); a statement that takes longer fails the run, which is retried with backoff. "
            + "A number with ms, s, min or h; unset or 0: no limit.")
    private String statementTimeout;

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public ValueSource getUrlFrom() {
        return urlFrom;
    }

    public void setUrlFrom(ValueSource urlFrom) {
        this.urlFrom = urlFrom;
    }

    public CredentialsSecret getCredentialsSecret() {
        return credentialsSecret;
    }

    public void setCredentialsSecret(CredentialsSecret credentialsSecret) {
        this.credentialsSecret = credentialsSecret;
    }

    public String getLockTimeout() {
        return lockTimeout;
    }

    public void setLockTimeout(String lockTimeout) {
        this.lockTimeout = lockTimeout;
    }

    public String getStatementTimeout() {
        return statementTimeout;
    }

    public void setStatementTimeout(String statementTimeout) {
        this.statementTimeout = statementTimeout;
    }

    public List<String> getSchemas() {
        return schemas;
    }

    public void setSchemas(List<String> schemas) {
        this.schemas = schemas;
    }
}
