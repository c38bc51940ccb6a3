package io.schemagate.webhook.tls;

import static io.schemagate.webhook.tls.CertificateAuthorityTest.parse;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The PEM handed to the webhook's Vert.x server works end to end: a TLS handshake with hostname checks. */
class ServingCertificateTlsTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void closeVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void clientsTrustingTheBundleReachTheServerByLoopbackNameAndAddress() throws Exception {
        ServingCertificate certificate = new RenewalPolicy(
                        ServingNames.of("webhook", "operators"),
                        Duration.ofDays(3650),
                        Duration.ofDays(365),
                        Duration.ofDays(30))
                .apply(StoredCertificates.NONE, Instant.now())
                .certificates()
                .toServing();
        int port = serve(certificate);
        HttpClient client = HttpClient.newBuilder()
                .sslContext(trusting(certificate.caBundlePem()))
                .build();

        for (String host : List.of("127.0.0.1", "localhost")) {
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(URI.create("https://" + host + ":" + port + "/"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.body()).isEqualTo("served");
        }
    }

    private int serve(ServingCertificate certificate) throws Exception {
        HttpServer server = vertx.createHttpServer(new HttpServerOptions()
                        .setSsl(true)
                        .setKeyCertOptions(new PemKeyCertOptions()
                                .setCertValue(Buffer.buffer(certificate.certificateChainPem()))
                                .setKeyValue(Buffer.buffer(certificate.privateKeyPem()))))
                .requestHandler(request -> request.response().end("served"));
        return server.listen(0, "127.0.0.1")
                .toCompletionStage()
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS)
                .actualPort();
    }

    private static SSLContext trusting(String bundlePem) throws Exception {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        List<X509Certificate> bundle = parse(bundlePem);
        for (int i = 0; i < bundle.size(); i++) {
            trusted.setCertificateEntry("ca-" + i, bundle.get(i));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
