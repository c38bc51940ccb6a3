package io.schemagate.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A query the schema must answer with one row whose first column is true. */
public class VerifySpec {
    @Required
    @Size(max = 63)
    @Pattern("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
    @JsonPropertyDescription("The check's name, unique in the resource (lowercase letters, digits, '-'): what "
            + "status and the VerifyFailed condition call it.")
    private String name;

    @Required
    @Size(max = 65536)
    @JsonPropertyDescription("A query returning one row whose first column is boolean true, for example SELECT "
            + "count(*) = 0 FROM orders WHERE total < 0. It runs in a read-only transaction that is rolled back, "
            + "bounded by the operator's read timeout, after every run and at every resync.")
    private String sql;

    public VerifySpec() {}

    public VerifySpec(String name, String sql) {
        this.name = name;
        this.sql = sql;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getSql() {
        return sql;
    }

    public void setSql(String sql) {
        this.sql = sql;
    }
}
