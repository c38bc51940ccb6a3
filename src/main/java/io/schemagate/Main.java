package io.schemagate;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.schemagate.engine.Engines;
import io.schemagate.runner.MigrateCommand;
import java.util.Arrays;
import java.util.List;

/**
 * One artifact, two modes: {@code migrate} (and {@code backup}, {@code rehearse}) run the migration runner as plain
 * Java, before and without Quarkus (no CDI, no HTTP server); anything else starts the operator.
 */
@QuarkusMain
public final class Main {

    private Main() {}

    public static void main(String... args) {
        if (args.length > 0
                && List.of(MigrateCommand.NAME, MigrateCommand.BACKUP, MigrateCommand.REHEARSE)
                        .contains(args[0])) {
            List<String> arguments = Arrays.asList(args).subList(1, args.length);
            System.exit(
                    new MigrateCommand(System.out, System.err, Engines::of).run(args[0], arguments, System.getenv()));
        } else {
            Quarkus.run(args);
        }
    }
}
