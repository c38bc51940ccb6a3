package io.schemagate.it;

import io.schemagate.testbed.TestBed;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One operator process for all tests of a class:
 * {@code @RegisterExtension static final SharedOperator operator = new SharedOperator();}.
 */
final class SharedOperator implements BeforeAllCallback, AfterAllCallback {
    private final Map<String, String> settings;
    private OperatorProcess process;

    SharedOperator() {
        this(Map.of());
    }

    /** @param settings environment variables of the operator, beside the tests' fast timers */
    SharedOperator(Map<String, String> settings) {
        this.settings = Map.copyOf(settings);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        process = OperatorProcess.start(TestBed.get(), settings);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (process != null) {
            process.close();
        }
    }

    String log() {
        return process.log();
    }

    String metrics() {
        return process.metrics();
    }

    /** A GET on the operator's HTTP port: status code and body. */
    HttpResponse<String> get(String path) {
        return process.get(path);
    }
}
