package io.schemagate.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/** Another tool, run from its own image (engine command), and how to read its revision afterwards. */
public class CommandSpec {
    @JsonPropertyDescription("The tool's image. Unset: the source's image, for an application image that "
            + "carries its own migration tool.")
    private String image;

    @JsonPropertyDescription("The tool's entrypoint; unset, the image's own. The scripts are in "
            + "/schemagate/migrations, the working directory.")
    private List<String> command;

    @JsonPropertyDescription("The tool's arguments. $(DATABASE_URL) and the libpq variables $(PGHOST), "
            + "$(PGPORT), $(PGDATABASE), $(PGUSER), $(PGPASSWORD) expand to the connection, as in any container, and "
            + "$(SCHEMAGATE_TARGET) to spec.target; "
            + "for example [-path, /schemagate/migrations, -database, $(DATABASE_URL), up] for golang-migrate.")
    private List<String> args;

    @JsonPropertyDescription("The tool's arguments for a downgrade (spec.downgrade), with the same image and "
            + "command; $(SCHEMAGATE_TARGET) expands to spec.target, as it does in args. For example [-path, "
            + "/schemagate/migrations, -database, $(DATABASE_URL), goto, $(SCHEMAGATE_TARGET)] for golang-migrate, "
            + "[down-to, $(SCHEMAGATE_TARGET)] for goose.")
    private List<String> downArgs;

    @JsonPropertyDescription("The tool's arguments that record the history up to a version without running "
            + "scripts, for spec.adopt, with the same image and command; $(SCHEMAGATE_ADOPT) expands to "
            + "spec.adopt.version. For example [-path, /schemagate/migrations, -database, $(DATABASE_URL), force, "
            + "$(SCHEMAGATE_ADOPT)] for golang-migrate.")
    private List<String> adoptArgs;

    @Required
    @JsonPropertyDescription("How SchemaGate reads the revision the tool left in the database.")
    private CommandHistorySpec history;

    public String getImage() {
        return image;
    }

    public void setImage(String image) {
        this.image = image;
    }

    public List<String> getCommand() {
        return command;
    }

    public void setCommand(List<String> command) {
        this.command = command;
    }

    public List<String> getArgs() {
        return args;
    }

    public void setArgs(List<String> args) {
        this.args = args;
    }

    public List<String> getDownArgs() {
        return downArgs;
    }

    public void setDownArgs(List<String> downArgs) {
        this.downArgs = downArgs;
    }

    public List<String> getAdoptArgs() {
        return adoptArgs;
    }

    public void setAdoptArgs(List<String> adoptArgs) {
        this.adoptArgs = adoptArgs;
    }

    public CommandHistorySpec getHistory() {
        return history;
    }

    public void setHistory(CommandHistorySpec history) {
        this.history = history;
    }
}
