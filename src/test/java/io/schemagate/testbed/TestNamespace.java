package io.schemagate.testbed;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A fresh namespace on the test bed for each test, deleted afterwards. Tests take it as a
 * parameter: {@code @ExtendWith(TestNamespace.Extension.class) void t(TestNamespace ns)}.
 */
public record TestNamespace(String name, KubernetesClient client, TestBed bed) {

    /** A fresh namespace outside JUnit's lifecycle (benchmarks make many in one test); delete it after. */
    public static TestNamespace create(TestBed bed) {
        String name = "t-" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
        bed.client()
                .namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(name)
                        .addToLabels("schemagate.io/test", "true")
                        .endMetadata()
                        .build())
                .create();
        return new TestNamespace(name, bed.client(), bed);
    }

    /** Deletes the namespace, after keeping what it held for the suite-wide leak check. */
    public void delete() {
        LeakCapture.record(this);
        client.namespaces().withName(name).delete();
    }

    /** The JUnit 5 extension that creates and deletes the namespace. */
    public static final class Extension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
        private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(TestNamespace.class);

        @Override
        public void beforeEach(ExtensionContext context) {
            context.getStore(STORE).put(TestNamespace.class, create(TestBed.get()));
        }

        @Override
        public void afterEach(ExtensionContext context) {
            TestNamespace namespace = context.getStore(STORE).remove(TestNamespace.class, TestNamespace.class);
            if (namespace != null) {
                namespace.delete();
            }
        }

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == TestNamespace.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return context.getStore(STORE).get(TestNamespace.class, TestNamespace.class);
        }
    }
}
