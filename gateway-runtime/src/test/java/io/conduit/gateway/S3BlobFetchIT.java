package io.conduit.gateway;

import static io.conduit.gateway.S3Fixture.randomBytes;
import static io.conduit.gateway.S3Fixture.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.conduit.testsupport.TestServers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Blobs stored in a real S3 server, read back through GET/HEAD /v1/blobs and through presigned URLs. */
@Timeout(120)
class S3BlobFetchIT {
    static final int PART = 5 << 20;

    @TempDir
    Path root;
    S3Fixture s3;
    GatewayHarness gw;
    final HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() throws Exception {
        s3 = new S3Fixture(TestServers.s3());
        String rules = s3.backend("store", "presign: {ttl: 5m}")
                + s3.backend("direct", "presign: {ttl: 5m, redirect: true}", "prefix: direct/")
                + s3.backend("cas", "contentAddressed: true", "prefix: cas")
                + rule("store") + "---\n" + rule("direct") + "---\n" + rule("cas");
        gw = GatewayHarness.start(root, rules);
        assertThat(gw.adminConfig().get("problems")).as("config problems").isEmpty();
    }

    private static String rule(String backend) {
        return """
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: up-%1$s}
                spec:
                  when: {http: {method: POST, path: /%1$s}}
                  send:
                    blob: {backendRef: {name: %1$s}}
                """.formatted(backend);
    }

    @AfterEach
    void stop() {
        if (gw != null) {
            gw.close();
        }
        s3.close();
    }

    private JsonNode upload(String backend, byte[] content, String type) throws Exception {
        HttpResponse<String> response = gw.post("/" + backend, type, content);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return GatewayHarness.json(response).get("blobRef");
    }

    private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(gw.uri(path)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return gw.http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void getStreamsTheWholeBlobWithItsEtagAndHeadTellsSizeTypeAndSha256() throws Exception {
        byte[] content = randomBytes(2 * PART + 999, 1);
        JsonNode ref = upload("store", content, "application/x-thing");
        String path = "/v1/blobs/store/" + ref.get("blobId").asText();

        HttpResponse<byte[]> response = get(path);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(content);
        assertThat(response.headers().firstValue("ETag")).contains("\"" + sha256(content) + "\"");
        assertThat(response.headers().firstValue("Content-Type")).contains("application/x-thing");

        HttpResponse<String> head = gw.send(HttpRequest.newBuilder(gw.uri(path)).method("HEAD",
                HttpRequest.BodyPublishers.noBody()).build());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Length")).contains(String.valueOf(content.length));
        assertThat(head.headers().firstValue("X-Conduit-Sha256")).contains(sha256(content));
        assertThat(head.headers().firstValue("Content-Type")).contains("application/x-thing");

        assertThat(get(path, "If-None-Match", "\"" + sha256(content) + "\"").statusCode()).isEqualTo(304);
    }

    @Test
    void rangeRequestsReturnExactlyTheRequestedBytesAcrossPartBoundaries() throws Exception {
        byte[] content = randomBytes(PART + 4096, 2);
        String path = "/v1/blobs/store/" + upload("store", content, "application/octet-stream").get("blobId").asText();
        int from = PART - 100;
        int to = PART + 99;

        HttpResponse<byte[]> response = get(path, "Range", "bytes=" + from + "-" + to);

        assertThat(response.statusCode()).isEqualTo(206);
        assertThat(response.headers().firstValue("Content-Range")).contains("bytes " + from + "-" + to + "/" + content.length);
        assertThat(response.body()).isEqualTo(Arrays.copyOfRange(content, from, to + 1));
        assertThat(get(path, "Range", "bytes=-10").body()).isEqualTo(Arrays.copyOfRange(content, content.length - 10,
                content.length));
        assertThat(get(path, "Range", "bytes=" + content.length + "-").statusCode()).isEqualTo(416);
    }

    @Test
    void anEmptyBlobIsServedEmpty() throws Exception {
        String path = "/v1/blobs/store/" + upload("store", new byte[0], "text/plain").get("blobId").asText();
        HttpResponse<byte[]> response = get(path);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void thePresignedUrlInTheBlobRefWorksWithAPlainHttpClient() throws Exception {
        byte[] content = randomBytes(123_456, 3);
        JsonNode ref = upload("store", content, "application/octet-stream");
        URI url = URI.create(ref.get("url").asText());
        assertThat(url.getQuery()).contains("X-Amz-Signature=").contains("X-Amz-Expires=300");

        HttpResponse<byte[]> response = plain.send(HttpRequest.newBuilder(url).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(content);
    }

    @Test
    void aRedirectingBackendAnswers302ToAPresignedUrlThatServesTheBytes() throws Exception {
        byte[] content = randomBytes(4000, 4);
        JsonNode ref = upload("direct", content, "application/octet-stream");
        assertThat(ref.get("key").asText()).startsWith("direct/");

        HttpResponse<byte[]> response = get("/v1/blobs/direct/" + ref.get("blobId").asText());

        assertThat(response.statusCode()).isEqualTo(302);
        URI location = URI.create(response.headers().firstValue("Location").orElseThrow());
        HttpResponse<byte[]> followed = plain.send(HttpRequest.newBuilder(location).header("Range", "bytes=10-19").GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(followed.statusCode()).isEqualTo(206);
        assertThat(followed.body()).isEqualTo(Arrays.copyOfRange(content, 10, 20));
    }

    @Test
    void contentAddressedBlobsAreFoundByTheirHash() throws Exception {
        byte[] content = "same bytes, one object".getBytes();
        JsonNode ref = upload("cas", content, "text/plain");
        assertThat(ref.get("blobId").asText()).isEqualTo(sha256(content));

        HttpResponse<byte[]> response = get("/v1/blobs/cas/" + sha256(content));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(content);
        assertThat(response.headers().firstValue("Content-Type")).contains("text/plain");
    }

    @Test
    void unknownBlobsAre404() throws Exception {
        assertThat(get("/v1/blobs/store/no-such-blob").statusCode()).isEqualTo(404);
        assertThat(get("/v1/blobs/cas/" + "ab".repeat(32)).statusCode()).isEqualTo(404);
        assertThat(get("/v1/blobs/store/..%2F..%2Fetc").statusCode()).isEqualTo(404);
    }
}
