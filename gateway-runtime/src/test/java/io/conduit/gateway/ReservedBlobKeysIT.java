package io.conduit.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.conduit.testsupport.TestServers;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 21 item 9, as the attacker tried it: a rule whose key takes {@code {$query.name}} must not let a client
 * write under the gateway's own key space (a forged index record that makes {@code GET /v1/blobs/...} serve
 * another object), nor use {@code ..}, {@code //} or control characters. (A local store, and a content-addressed
 * S3 one, take no rendered keys at all: a rule's key on one is a config problem.)
 */
@Timeout(120)
class ReservedBlobKeysIT {
    @TempDir
    Path root;
    S3Fixture s3;
    GatewayHarness gw;

    @BeforeEach
    void start() throws Exception {
        s3 = new S3Fixture(TestServers.s3());
        String rules = s3.backend("store", "") + """
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: upload}
                spec:
                  when: {http: {method: POST, path: /upload}}
                  send:
                    blob: {backendRef: {name: store}}
                ---
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: named}
                spec:
                  when: {http: {method: POST, path: "/named/{store}"}}
                  send:
                    blob: {backendRef: {name: store}, key: "{$query.name}"}
                """;
        gw = GatewayHarness.start(root, rules);
        assertThat(gw.adminConfig().get("problems")).as("config problems").isEmpty();
    }

    @AfterEach
    void stop() {
        if (gw != null) {
            gw.close();
        }
        s3.close();
    }

    private HttpResponse<String> upload(String path, String name, String content) throws Exception {
        return gw.post(path + "?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8), "text/plain",
                content.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aForgedIndexRecordIsRefusedAndTheBlobStillReadsAsStored() throws Exception {
        HttpResponse<String> victim = gw.post("/upload", "text/plain", "the real bytes".getBytes(StandardCharsets.UTF_8));
        assertThat(victim.statusCode()).as(victim.body()).isEqualTo(201);
        String blobId = GatewayHarness.json(victim).at("/blobRef/blobId").asText();
        HttpResponse<String> planted = upload("/named/store", "planted/secret.txt", "chosen by the attacker");
        assertThat(planted.statusCode()).as(planted.body()).isEqualTo(201);

        String forged = "{\"blobId\":\"" + blobId + "\",\"bucket\":\"" + s3.bucket + "\",\"key\":\"planted/secret.txt\","
                + "\"size\":22,\"mime\":\"text/plain\"}";
        for (String key : new String[] {".conduit/blobs/" + blobId + ".json", "/.conduit/blobs/" + blobId + ".json",
                ".CONDUIT/blobs/" + blobId + ".json", "a/../.conduit/blobs/" + blobId + ".json"}) {
            HttpResponse<String> attack = upload("/named/store", key, forged);
            assertThat(attack.statusCode()).as(key + ": " + attack.body()).isEqualTo(400);
            assertThat(GatewayHarness.json(attack).at("/error/message").asText()).contains("blob key");
        }

        HttpResponse<String> read = gw.get("/v1/blobs/store/" + blobId);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.body()).isEqualTo("the real bytes");
        assertThat(s3.keys()).noneMatch(k -> k.toLowerCase().contains(".conduit/") && !k.startsWith(".conduit/blobs/"));
        assertThat(new String(s3.read(".conduit/blobs/" + blobId + ".json"), StandardCharsets.UTF_8)).doesNotContain("planted");
    }

    static Stream<Arguments> unsafeKeys() {
        return Stream.of(
                Arguments.of("a/../b.txt", "'..' segment"),
                Arguments.of("../escape.txt", "'..' segment"),
                Arguments.of("a/./b.txt", "'.' segment"),
                Arguments.of("a//b.txt", "empty segment"),
                Arguments.of("dir/", "empty segment"),
                Arguments.of("a\nb.txt", "control character"),
                Arguments.of("a\rb.txt", "control character"),
                Arguments.of("a\u0000b.txt", "control character"),
                Arguments.of("tenants/.conduit/x.json", "reserved"),
                Arguments.of("sha256/ab/cd/forged", "reserved"),
                Arguments.of(".tmp/x.part", "reserved"),
                Arguments.of("k".repeat(1025), "longer than 1024 bytes"));
    }

    @ParameterizedTest
    @MethodSource("unsafeKeys")
    void keysThatNoStoreMayTakeAreRefusedWithTheReason(String key, String reason) throws Exception {
        int before = s3.keys().size();
        HttpResponse<String> response = upload("/named/store", key, "x");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode error = GatewayHarness.json(response).get("error");
        assertThat(error.get("message").asText()).contains("blob key").contains(reason);
        assertThat(s3.keys()).hasSize(before);
        assertThat(s3.openMultipartUploads()).isZero();
    }

    @Test
    void ordinaryNestedKeysStillWork() throws Exception {
        HttpResponse<String> response = upload("/named/store", "reports/2026/q4 summary.txt", "fine");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(new String(s3.read("reports/2026/q4 summary.txt"), StandardCharsets.UTF_8)).isEqualTo("fine");
    }
}
