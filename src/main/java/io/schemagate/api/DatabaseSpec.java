package io.schemagate.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Which database to migrate; credentials only ever come from a Secret. */
@ValidationRule(value = "has(self.url) != has(self.urlFrom)",
        message = "set exactly one of database.url and database.urlFrom")
public class DatabaseSpec {
    @Pattern("^jdbc:postgresql://[^@]+$")
    @JsonPropertyDescription("JDBC URL of the PostgreSQL database, for example "
            + "jdbc:postgresql://orders-db:5432/orders. Must not carry credentials. Alternative to urlFrom.")
    private String url;

    @JsonPropertyDescription("Reads the JDBC URL from a key of a Secret, for URLs that are themselves "
            + "confidential or generated. Alternative to url.")
    private ValueSource urlFrom;

    @Required
    @JsonPropertyDescription("The Secret holding the user name and password the migrations run with.")
    private CredentialsSecret credentialsSecret;

    @JsonPropertyDescription("Schemas managed by the migrations. The first one holds the history table and "
            + "is the default schema of the scripts. Defaults to [public].")
    @Size(min = 1, max = 16)
    @ValidationRule(value = "self.all(s, size(s) >= 1 && size(s) <= 63)",
            message = "schema names are PostgreSQL identifiers of 1 to 63 characters")
    private List<String> schemas;

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

    public List<String> getSchemas() {
        return schemas;
    }

    public void setSchemas(List<String> schemas) {
        this.schemas = schemas;
    }
}
