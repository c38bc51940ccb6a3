package io.schemagate.runner;

import org.flywaydb.core.api.logging.Log;
import org.flywaydb.core.api.logging.LogCreator;

/**
 * Routes Flyway's log to the {@link RunnerConsole}: its progress lines ("Migrating schema ... to
 * version 2") are the Job's useful log; its debug output is dropped.
 */
final class FlywayConsoleLog implements LogCreator {

    private final RunnerConsole console;

    FlywayConsoleLog(RunnerConsole console) {
        this.console = console;
    }

    @Override
    public Log createLogger(Class<?> source) {
        return new ConsoleLog(console);
    }

    private record ConsoleLog(RunnerConsole console) implements Log {

        @Override
        public boolean isDebugEnabled() {
            return false;
        }

        @Override
        public void debug(String message) {}

        @Override
        public void info(String message) {
            console.info(message);
        }

        @Override
        public void warn(String message) {
            console.warn(message);
        }

        @Override
        public void error(String message) {
            console.error(message);
        }

        @Override
        public void error(String message, Exception e) {
            console.error(message + ": " + e.getMessage());
        }

        @Override
        public void notice(String message) {
            console.info(message);
        }
    }
}
