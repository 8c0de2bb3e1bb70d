package io.conduit.gateway;

import static io.conduit.gateway.S3Fixture.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.conduit.testsupport.Needs;
import io.conduit.testsupport.S3Server;
import io.conduit.testsupport.TestServers;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** An S3 server of this test's own, stopped while the gateway uses it: 503 with Retry-After, nothing stored. */
@Timeout(120)
class S3FaultsIT {
    static final int PART = 5 << 20;

    @TempDir
    Path root;
    S3Server server;
    S3Fixture s3;
    GatewayHarness gw;

    @BeforeEach
    void start() throws Exception {
        server = TestServers.newS3();
        Needs.require(server.restartable(), "an S3 server this JVM can stop", Needs.ownServer(S3Server.ENV_VAR));
        s3 = new S3Fixture(server);
        String rules = """
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
        if (s3 != null) {
            s3.close();
        }
        server.close();
    }

    @Test
    void s3DownGives503WithRetryAfterForSmallAndMultipartBodiesAndStoresNothing() throws Exception {
        server.stop();

        for (int size : new int[]{1000, 2 * PART + 1}) {
            long started = System.nanoTime();
            HttpResponse<String> response = gw.post("/upload", "application/octet-stream", randomBytes(size, size));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).isPresent();
            assertThat(GatewayHarness.json(response).at("/error/code").asText()).isEqualTo("backend_unavailable");
            assertThat((System.nanoTime() - started) / 1_000_000).as("within the request timeout").isLessThan(7_000);
        }
        assertThat(gw.get("/v1/blobs/store/anything").statusCode()).isEqualTo(503);

        server.start();
        assertThat(s3.keys()).isEmpty();
        assertThat(s3.openMultipartUploads()).isZero();
        HttpResponse<String> recovered = gw.post("/upload", "application/octet-stream", randomBytes(1000, 7));
        assertThat(recovered.statusCode()).as("the same gateway stores again once S3 is back").isEqualTo(201);
    }

    @Test
    void s3GoingDownMidUploadAbortsAndStoresNothing() throws Exception {
        byte[] content = randomBytes(4 * PART, 9);
        // Stop S3 while the body streams: the first parts went up, the rest cannot.
        var request = java.net.http.HttpRequest.newBuilder(gw.uri("/upload"))
                .header("Content-Type", "application/octet-stream")
                .POST(S3Fixture.stoppingServerAt(content, server, 2 * PART)).build();

        HttpResponse<String> response = gw.send(request);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        server.start();
        assertThat(s3.keys()).isEmpty();
        assertThat(GatewayHarness.eventually(java.time.Duration.ofSeconds(20), () -> s3.openMultipartUploads() == 0))
                .as("the upload S3 could not abort while down is aborted once it is back").isTrue();
    }
}
