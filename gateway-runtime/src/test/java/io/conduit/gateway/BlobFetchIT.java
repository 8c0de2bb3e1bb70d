package io.conduit.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GET /v1/blobs/{backend}/{blobId}: how agents fetch what a blobRef points to. */
class BlobFetchIT {
    @TempDir
    Path root;
    GatewayHarness gw;
    byte[] content = BlobUploadIT.randomBytes(10_000, 9);
    String blobId;

    @BeforeEach
    void start() throws Exception {
        gw = GatewayHarness.start(root, """
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: upload}
                spec:
                  when: {http: {method: POST, path: /upload}}
                  send: {blob: {backendRef: {name: blobs}}}
                """);
        blobId = GatewayHarness.json(gw.post("/upload", "application/pdf", content)).at("/blobRef/blobId").asText();
    }

    @AfterEach
    void stop() {
        gw.close();
    }

    HttpResponse<byte[]> fetch(String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(gw.uri("/v1/blobs/blobs/" + blobId)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return gw.http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void streamsTheBlobWithItsTypeAndEtag() throws Exception {
        HttpResponse<byte[]> response = fetch();
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(content);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/pdf");
        assertThat(response.headers().firstValue("ETag")).hasValue("\"" + BlobUploadIT.sha256(content) + "\"");
    }

    @Test
    void uploadedPagesAndImagesThatRunScriptsAreServedAsDownloadsThatABrowserNeverRenders() throws Exception {
        for (String type : new String[] {"text/html", "image/svg+xml", "application/xhtml+xml", "text/javascript"}) {
            byte[] page = "<html><body><script>alert(document.cookie)</script></body></html>".getBytes();
            String id = GatewayHarness.json(gw.post("/upload", type, page)).at("/blobRef/blobId").asText();
            HttpResponse<byte[]> served = gw.http.send(HttpRequest.newBuilder(gw.uri("/v1/blobs/blobs/" + id)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());

            assertThat(served.statusCode()).isEqualTo(200);
            assertThat(served.headers().firstValue("X-Content-Type-Options")).as(type).hasValue("nosniff");
            assertThat(served.headers().firstValue("Content-Disposition")).as(type).hasValueSatisfying(
                    v -> assertThat(v).startsWith("attachment"));
            assertThat(served.headers().firstValue("Content-Security-Policy")).as(type).hasValueSatisfying(
                    v -> assertThat(v).contains("sandbox"));
        }
        HttpResponse<byte[]> pdf = fetch();
        assertThat(pdf.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(pdf.headers().firstValue("Content-Disposition")).as("a passive type is shown inline").isEmpty();
    }

    @Test
    void answersRanges() throws Exception {
        HttpResponse<byte[]> response = fetch("Range", "bytes=100-199");
        assertThat(response.statusCode()).isEqualTo(206);
        assertThat(response.body()).isEqualTo(java.util.Arrays.copyOfRange(content, 100, 200));
        assertThat(response.headers().firstValue("Content-Range")).hasValue("bytes 100-199/10000");

        HttpResponse<byte[]> suffix = fetch("Range", "bytes=-10");
        assertThat(suffix.body()).isEqualTo(java.util.Arrays.copyOfRange(content, 9990, 10000));
        assertThat(fetch("Range", "bytes=20000-").statusCode()).isEqualTo(416);
    }

    @Test
    void answers304WhenTheClientHasIt() throws Exception {
        String etag = fetch().headers().firstValue("ETag").orElseThrow();
        assertThat(fetch("If-None-Match", etag).statusCode()).isEqualTo(304);
        assertThat(fetch("If-None-Match", "\"other\", W/" + etag).statusCode()).isEqualTo(304);
        assertThat(fetch("If-None-Match", "*").statusCode()).isEqualTo(304);
        assertThat(fetch("If-None-Match", "\"other\"").statusCode()).isEqualTo(200);
    }

    @Test
    void oddRangesAreAnsweredNotFailed() throws Exception {
        assertThat(fetch("Range", "bytes=99999999999999999999-").statusCode()).isEqualTo(416);
        HttpResponse<byte[]> several = fetch("Range", "bytes=0-1,5-6");
        assertThat(several.statusCode()).isEqualTo(200);
        assertThat(several.body()).isEqualTo(content);
        assertThat(fetch("Range", "items=0-1").statusCode()).isEqualTo(200);
        assertThat(GatewayHarnessRaw.status(gw, "GET /v1/blobs/%zz/x")).isEqualTo(404);
    }

    @Test
    void unknownBlobsAndBackendsAre404() throws Exception {
        assertThat(gw.get("/v1/blobs/blobs/" + "0".repeat(64)).statusCode()).isEqualTo(404);
        assertThat(gw.get("/v1/blobs/nope/" + blobId).statusCode()).isEqualTo(404);
        assertThat(gw.get("/v1/blobs/blobs/..%2F..%2Fetc%2Fpasswd").statusCode()).isEqualTo(404);
    }
}
