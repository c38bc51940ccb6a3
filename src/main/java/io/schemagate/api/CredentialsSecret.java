package io.schemagate.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;

/** The Secret with the database user the migrations run as. */
public class CredentialsSecret {
    @Required
    @JsonPropertyDescription("Name of the Secret, in the namespace of the DatabaseMigration.")
    private String name;

    @Default("username")
    @JsonPropertyDescription("Key of the user name in the Secret.")
    private String usernameKey = "username";

    @Default("password")
    @JsonPropertyDescription("Key of the password in the Secret.")
    private String passwordKey = "password";

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getUsernameKey() {
        return usernameKey;
    }

    public void setUsernameKey(String usernameKey) {
        this.usernameKey = usernameKey;
    }

    public String getPasswordKey() {
        return passwordKey;
    }

    public void setPasswordKey(String passwordKey) {
        this.passwordKey = passwordKey;
    }
}
