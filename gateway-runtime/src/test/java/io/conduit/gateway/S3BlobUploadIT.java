package io.conduit.gateway;

import static io.conduit.gateway.S3Fixture.randomBytes;
import static io.conduit.gateway.S3Fixture.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.conduit.testsupport.TestServers;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Uploads through a real gateway into a real S3 server (s3proxy or MinIO), checked with the AWS SDK. */
@Timeout(120)
class S3BlobUploadIT {
    static final int PART = 5 << 20;

    @TempDir
    Path root;
    S3Fixture s3;
    GatewayHarness gw;

    @BeforeEach
    void start() throws Exception {
        s3 = new S3Fixture(TestServers.s3());
        String rules = s3.backend("store", "maxSize: 20Mi", "prefix: uploads")
                + s3.backend("cas", "contentAddressed: true")
                + """
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
                metadata: {name: by-tenant}
                spec:
                  when: {http: {method: POST, path: "/tenants/{tenant}/files"}}
                  send:
                    blob: {backendRef: {name: store}, key: "tenants/{$path.tenant}/{blobId}.{ext}"}
                ---
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: dedup}
                spec:
                  when: {http: {method: POST, path: /cas}}
                  send:
                    blob: {backendRef: {name: cas}}
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

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, PART - 1, PART, 3 * PART + 12_345})
    void octetStreamUploadsOfAnySizeLandWholeUnderTheTemplateKey(int size) throws Exception {
        byte[] content = randomBytes(size, size);
        HttpResponse<String> response = gw.post("/upload", "application/octet-stream", content);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode ref = GatewayHarness.json(response).get("blobRef");
        String blobId = ref.get("blobId").asText();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        String key = "uploads/%04d/%02d/%02d/%s".formatted(today.getYear(), today.getMonthValue(), today.getDayOfMonth(), blobId);
        assertThat(ref.get("backend").asText()).isEqualTo("s3");
        assertThat(ref.get("backendName").asText()).isEqualTo("store");
        assertThat(ref.get("bucket").asText()).isEqualTo(s3.bucket);
        assertThat(ref.get("key").asText()).isEqualTo(key);
        assertThat(ref.get("size").asLong()).isEqualTo(size);
        assertThat(ref.get("sha256").asText()).isEqualTo(sha256(content));
        byte[] stored = s3.read(key);
        assertThat(sha256(stored)).as("the object's bytes read back with the SDK").isEqualTo(sha256(content));
        assertThat(stored).hasSize(size);
        assertThat(s3.openMultipartUploads()).isZero();
        assertThat(s3.blobKeys()).containsExactly(key);
    }

    @Test
    void smallBodiesCarryTheirSha256AndFilenameInObjectMetadata() throws Exception {
        byte[] content = "%PDF-1.7 tiny".getBytes(StandardCharsets.US_ASCII);
        HttpResponse<String> response = gw.send(HttpRequest.newBuilder(gw.uri("/upload"))
                .header("Content-Type", "application/octet-stream")
                .header("Content-Disposition", "attachment; filename=\"report (v2).pdf\"")
                .POST(HttpRequest.BodyPublishers.ofByteArray(content)).build());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode ref = GatewayHarness.json(response).get("blobRef");
        assertThat(ref.get("mime").asText()).as("sniffed").isEqualTo("application/pdf");
        var head = s3.head(ref.get("key").asText());
        assertThat(head.metadata()).containsEntry("sha256", sha256(content));
        assertThat(head.metadata().get("filename")).isEqualTo("report%20%28v2%29.pdf");
        assertThat(ref.get("filename").asText()).isEqualTo("report (v2).pdf");
        assertThat(head.contentType()).isEqualTo("application/pdf");
    }

    @Test
    void multipartFormFilesEachBecomeAnObject() throws Exception {
        byte[] big = randomBytes(2 * PART + 77, 11);
        byte[] text = "hello conduit\n".getBytes(StandardCharsets.UTF_8);
        byte[] body = new Multipart().field("note", "two files").file("a", "big.bin", "application/octet-stream", big)
                .file("b", "notes.txt", "text/plain", text).build();

        HttpResponse<String> response = gw.post("/upload", Multipart.contentType(), body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode refs = GatewayHarness.json(response).get("blobRefs");
        assertThat(refs).hasSize(2);
        assertThat(refs.get(0).get("filename").asText()).isEqualTo("big.bin");
        assertThat(s3.read(refs.get(0).get("key").asText())).isEqualTo(big);
        assertThat(refs.get(1).get("mime").asText()).isEqualTo("text/plain");
        assertThat(s3.read(refs.get(1).get("key").asText())).isEqualTo(text);
        assertThat(s3.openMultipartUploads()).isZero();
    }

    @Test
    void aRuleKeyChoosesWhereTheObjectGoes() throws Exception {
        HttpResponse<String> response = gw.send(HttpRequest.newBuilder(gw.uri("/tenants/acme/files"))
                .header("Content-Type", "text/csv")
                .header("Content-Disposition", "attachment; filename=\"q3.csv\"")
                .POST(HttpRequest.BodyPublishers.ofString("a,b\n1,2\n")).build());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode ref = GatewayHarness.json(response).get("blobRef");
        String key = "uploads/tenants/acme/" + ref.get("blobId").asText() + ".csv";
        assertThat(ref.get("key").asText()).isEqualTo(key);
        assertThat(new String(s3.read(key), StandardCharsets.UTF_8)).isEqualTo("a,b\n1,2\n");
    }

    @Test
    void contentAddressedUploadsOfTheSameBytesStoreOneObject() throws Exception {
        byte[] content = randomBytes(PART + 5, 21);
        String sha = sha256(content);
        HttpResponse<String> first = gw.post("/cas", "application/octet-stream", content);
        HttpResponse<String> second = gw.post("/cas", "application/octet-stream", content);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        assertThat(second.statusCode()).as(second.body()).isEqualTo(201);
        String key = "sha256/" + sha.substring(0, 2) + "/" + sha.substring(2, 4) + "/" + sha;
        assertThat(GatewayHarness.json(first).at("/blobRef/key").asText()).isEqualTo(key);
        assertThat(GatewayHarness.json(second).at("/blobRef/blobId").asText()).isEqualTo(sha);
        assertThat(s3.keys()).as("one object, no temporary ones").containsExactly(key);
        assertThat(s3.head(key).metadata()).containsEntry("sha256", sha);
        assertThat(sha256(s3.read(key))).isEqualTo(sha);
    }

    @Test
    void aBodyOverMaxSizeIs413AndLeavesNoObjectNorOpenUpload() throws Exception {
        byte[] content = randomBytes(21 << 20, 31);
        // Chunked, so the limit is met while streaming (after several parts went up), not from Content-Length.
        HttpResponse<String> response = gw.send(HttpRequest.newBuilder(gw.uri("/upload"))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(content))).build());

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(GatewayHarness.eventually(Duration.ofSeconds(10), () -> s3.openMultipartUploads() == 0)).isTrue();
        assertThat(s3.keys()).isEmpty();
    }

    @Test
    void aClientThatGoesAwayMidUploadLeavesNoObjectNorOpenUpload() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", gw.server.trafficPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Length: 18000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(randomBytes(12 << 20, 41));
            out.flush();
            assertThat(GatewayHarness.eventually(Duration.ofSeconds(10), () -> s3.openMultipartUploads() == 1))
                    .as("the multipart upload was under way").isTrue();
        }
        assertThat(GatewayHarness.eventually(Duration.ofSeconds(10), () -> s3.openMultipartUploads() == 0)).isTrue();
        assertThat(s3.keys()).isEmpty();
    }
}
