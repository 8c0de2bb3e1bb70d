package io.conduit.gateway;

import static io.conduit.gateway.S3Fixture.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.conduit.gateway.config.SinkFactory;
import io.conduit.testsupport.S3Server;
import io.conduit.testsupport.TestServers;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 22 item 7: the store goes down mid-upload, so the gateway cannot abort the multipart upload it started.
 * The abort is recorded in the data folder and retried in the background, across a gateway restart: once the
 * store is back, no multipart upload is left open.
 */
@Timeout(180)
class S3OutageAbortIT {
    static final int PART = 5 << 20;

    @TempDir
    Path root;
    S3Server server;
    S3Fixture s3;
    GatewayHarness gw;
    String rules;

    @BeforeEach
    void start() throws Exception {
        server = TestServers.newS3();
        assumeTrue(server.restartable(), "needs an S3 server this JVM can stop");
        System.setProperty(SinkFactory.DATA_DIR_PROPERTY, root.resolve("data").toString());
        s3 = new S3Fixture(server);
        rules = """
                apiVersion: conduit.io/v1alpha1
                kind: EdgeGateway
                metadata: {name: faults}
                spec:
                  limits: {requestTimeout: 5s}
                ---
                """ + s3.backend("store", "") + """
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: upload}
                spec:
                  when: {http: {method: POST, path: /upload}}
                  send:
                    blob: {backendRef: {name: store}}
                """;
        gw = GatewayHarness.start(root, rules);
        assertThat(gw.adminConfig().get("problems")).as("config problems").isEmpty();
    }

    @AfterEach
    void stop() {
        if (gw != null) {
            gw.close();
        }
        System.clearProperty(SinkFactory.DATA_DIR_PROPERTY);
        if (s3 != null) {
            s3.close();
        }
        server.close();
    }

    @Test
    void anAbortTheStoreMissedWhileDownIsDoneOnceItIsBackEvenAfterAGatewayRestart() throws Exception {
        byte[] content = randomBytes(4 * PART, 11);
        HttpRequest request = HttpRequest.newBuilder(gw.uri("/upload"))
                .header("Content-Type", "application/octet-stream")
                // The first parts go up (a multipart upload is open); then the store goes away.
                .POST(S3Fixture.stoppingServerAt(content, server, 2 * PART)).build();

        HttpResponse<String> response = gw.send(request);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        Path records = root.resolve("data").resolve("s3-aborts").resolve("store");
        assertThat(GatewayHarness.eventually(Duration.ofSeconds(10),
                () -> Files.isDirectory(records) && !GatewayHarness.files(records).isEmpty()))
                .as("the abort still owed is recorded on disk").isTrue();

        // The gateway restarts while the store is still down: whatever it kept in memory is gone.
        gw.close();
        gw = GatewayHarness.start(root, rules);
        server.start();

        assertThat(GatewayHarness.eventually(Duration.ofSeconds(60), () -> s3.openMultipartUploads() == 0))
                .as("no multipart upload left open once the store is back").isTrue();
        assertThat(GatewayHarness.eventually(Duration.ofSeconds(10), () -> GatewayHarness.files(records).isEmpty()))
                .as("and the record is gone").isTrue();
        assertThat(s3.keys()).isEmpty();
    }
}
