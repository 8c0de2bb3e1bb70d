package io.conduit.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.conduit.testsupport.TestServers;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walkthrough of issue 21: a store's permanent refusal is a permanent error (502 without Retry-After, not
 * 503 backend_unavailable), a mirror copy the mirror refuses for good is set aside with a metric rather than
 * retried forever, and a form-encoded body (curl's default for --data-binary), which s3proxy refused with a
 * signature 403, is stored.
 */
@Timeout(120)
class S3PermanentErrorsIT {
    @TempDir
    Path root;
    S3Fixture s3;
    GatewayHarness gw;

    @BeforeEach
    void start() throws Exception {
        s3 = new S3Fixture(TestServers.s3());
        String wrongKeys = """
                apiVersion: v1
                kind: Secret
                metadata: {name: wrong-keys}
                stringData: {accessKeyId: "%s", secretAccessKey: "not-the-secret"}
                ---
                apiVersion: conduit.io/v1alpha1
                kind: BlobBackend
                metadata: {name: refusing}
                spec:
                  type: s3
                  s3: {bucket: %s, endpoint: "%s", forcePathStyle: true, credentialsSecretRef: {name: wrong-keys}}
                ---
                apiVersion: conduit.io/v1alpha1
                kind: BlobBackend
                metadata: {name: primary}
                spec:
                  type: local
                  local: {path: "%s"}
                  mirrorRefs: [{name: refusing}]
                ---
                """.formatted(s3.server.accessKey(), s3.bucket, s3.endpoint(), root.resolve("primary"));
        String rules = s3.backend("store", "") + wrongKeys + upload("store") + upload("refusing") + upload("primary");
        gw = GatewayHarness.start(root, rules);
        assertThat(gw.adminConfig().get("problems")).as("config problems").isEmpty();
    }

    private static String upload(String backend) {
        return """
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: to-%1$s}
                spec:
                  when: {http: {method: POST, path: /%1$s}}
                  send:
                    blob: {backendRef: {name: %1$s}}
                ---
                """.formatted(backend);
    }

    @AfterEach
    void stop() {
        if (gw != null) {
            gw.close();
        }
        s3.close();
    }

    @Test
    void aFormEncodedBodyIsStoredWithItsType() throws Exception {
        byte[] body = "name=ada&note=hello%20world".getBytes(StandardCharsets.US_ASCII);
        HttpResponse<String> response = gw.post("/store", "application/x-www-form-urlencoded", body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode ref = GatewayHarness.json(response).get("blobRef");
        assertThat(ref.get("mime").asText()).isEqualTo("application/x-www-form-urlencoded");
        assertThat(s3.read(ref.get("key").asText())).isEqualTo(body);
        assertThat(s3.head(ref.get("key").asText()).contentType()).startsWith("application/x-www-form-urlencoded");
        assertThat(s3.openMultipartUploads()).isZero();
        HttpResponse<String> read = gw.get("/v1/blobs/store/" + ref.get("blobId").asText());
        assertThat(read.body()).isEqualTo(new String(body, StandardCharsets.US_ASCII));
    }

    @Test
    void aStoreThatRefusesTheCallForGoodIsAPermanentErrorWithoutRetryAfter() throws Exception {
        HttpResponse<String> response = gw.post("/refusing", "application/octet-stream", new byte[] {1, 2, 3});

        assertThat(response.statusCode()).as(response.body()).isEqualTo(502);
        assertThat(response.headers().firstValue("Retry-After")).isEmpty();
        assertThat(GatewayHarness.json(response).at("/error/code").asText()).isEqualTo("backend_refused");
    }

    @Test
    void aMirrorCopyTheMirrorRefusesForGoodIsSetAsideWithAMetric() throws Exception {
        HttpResponse<String> response = gw.post("/primary", "application/octet-stream", new byte[] {4, 5, 6});
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);

        assertThat(GatewayHarness.eventually(Duration.ofSeconds(30),
                () -> metrics().sum("conduit_mirror_copies_total", "result", "set_aside") == 1))
                .as("the refused copy is set aside").isTrue();
        assertThat(GatewayHarness.eventually(Duration.ofSeconds(10),
                () -> metrics().sum("conduit_mirror_pending", "backend", "primary") == 0))
                .as("and no longer pending").isTrue();
        double errors = metrics().sum("conduit_mirror_copies_total", "result", "error");
        assertThat(errors).as("one attempt, not retried").isEqualTo(1);
    }

    private PrometheusText metrics() throws Exception {
        return PrometheusText.parse(gw.send(HttpRequest.newBuilder(gw.admin("/metrics")).GET().build()).body());
    }
}
