package io.schemagate.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What a verify check found when the database was last read. */
public class VerifyStatus {
    @JsonPropertyDescription("The check's name, as in spec.verify.")
    private String name;

    @JsonPropertyDescription("Whether it returned one row whose first column is true.")
    private boolean passed;

    @JsonPropertyDescription("What it returned: true, false, null, 'no row', 'N rows', or the database's error.")
    private String returned;

    @JsonPropertyDescription("The SQLSTATE of the error, when the query failed to run.")
    private String sqlState;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public boolean isPassed() {
        return passed;
    }

    public void setPassed(boolean passed) {
        this.passed = passed;
    }

    public String getReturned() {
        return returned;
    }

    public void setReturned(String returned) {
        this.returned = returned;
    }

    public String getSqlState() {
        return sqlState;
    }

    public void setSqlState(String sqlState) {
        this.sqlState = sqlState;
    }
}
