package io.conduit.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Uploads through a real gateway into a local content-addressed store, checked on disk. */
class BlobUploadIT {
    static final String RULES = """
            apiVersion: conduit.io/v1alpha1
            kind: RouteRule
            metadata: {name: upload}
            spec:
              when: {http: {method: POST, path: /upload}}
              send:
                blob: {backendRef: {name: blobs}}
              onComplete:
                enqueue:
                  backendRef: {name: queues}
                  to: agents/FileProcessor/inbox
                  envelope:
                    type: file_uploaded
                    payload: {blobRef: $blobRef, note: $body.note}
            """;

    @TempDir
    Path root;
    GatewayHarness gw;

    @BeforeEach
    void start() throws Exception {
        gw = GatewayHarness.start(root, RULES);
    }

    @AfterEach
    void stop() {
        gw.close();
    }

    @Test
    void octetStreamUploadAnswersABlobRefMatchingTheBytesOnDisk() throws Exception {
        byte[] content = randomBytes(300_000, 1);
        HttpResponse<String> response = gw.post("/upload", "application/octet-stream", content);

        assertThat(response.statusCode()).isEqualTo(201);
        JsonNode ref = GatewayHarness.json(response).get("blobRef");
        String sha = sha256(content);
        assertThat(ref.get("sha256").asText()).isEqualTo(sha);
        assertThat(ref.get("size").asLong()).isEqualTo(content.length);
        assertThat(ref.get("backend").asText()).isEqualTo("local");
        assertThat(ref.get("backendName").asText()).isEqualTo("blobs");
        Path stored = gw.blobs.resolve("sha256").resolve(sha.substring(0, 2)).resolve(sha.substring(2, 4)).resolve(sha);
        assertThat(Files.readAllBytes(stored)).isEqualTo(content);
        assertThat(ref.get("path").asText()).as("relative to the backend's root, not the server's absolute path")
                .isEqualTo("sha256/" + sha.substring(0, 2) + "/" + sha.substring(2, 4) + "/" + sha);
        assertThat(stored.resolveSibling(sha + ".meta.json")).exists();
    }

    @Test
    void multipartUploadStoresEachFileAndExposesFormFields() throws Exception {
        byte[] png = new byte[]{(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13, 'I', 'H', 'D', 'R', 1, 2, 3};
        byte[] text = "hello conduit\n".getBytes(StandardCharsets.UTF_8);
        byte[] body = new Multipart().field("note", "two files").file("a", "mockup.png", "application/octet-stream", png)
                .file("b", "notes.txt", "text/plain", text).build();

        HttpResponse<String> response = gw.post("/upload", Multipart.contentType(), body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode refs = GatewayHarness.json(response).get("blobRefs");
        assertThat(refs).hasSize(2);
        assertThat(refs.get(0).get("sha256").asText()).isEqualTo(sha256(png));
        assertThat(refs.get(0).get("mime").asText()).as("sniffed from the bytes").isEqualTo("image/png");
        assertThat(refs.get(0).get("filename").asText()).isEqualTo("mockup.png");
        assertThat(refs.get(1).get("sha256").asText()).isEqualTo(sha256(text));
        assertThat(refs.get(1).get("mime").asText()).isEqualTo("text/plain");
        assertThat(refs.get(1).get("size").asLong()).isEqualTo(text.length);
    }

    @Test
    void theFollowUpEnvelopeCarriesTheBlobRef() throws Exception {
        byte[] body = new Multipart().field("note", "for Jen").file("f", "a.bin", "application/octet-stream",
                randomBytes(1000, 2)).build();
        JsonNode ref = GatewayHarness.json(gw.post("/upload", Multipart.contentType(), body)).get("blobRef");

        Path inbox = gw.queues.resolve("agents%2FFileProcessor%2Finbox").resolve("new");
        var files = GatewayHarness.files(inbox);
        assertThat(files).hasSize(1);
        JsonNode message = GatewayHarness.json(Files.readString(inbox.resolve(files.get(0))));
        assertThat(message.at("/message/type").asText()).isEqualTo("file_uploaded");
        assertThat(message.at("/message/payload/blobRef")).isEqualTo(ref);
        assertThat(message.at("/message/payload/note").asText()).isEqualTo("for Jen");
    }

    @Test
    void theSameContentTwiceIsStoredOnce() throws Exception {
        byte[] content = randomBytes(50_000, 3);
        JsonNode first = GatewayHarness.json(gw.post("/upload", "application/octet-stream", content)).get("blobRef");
        JsonNode second = GatewayHarness.json(gw.post("/upload", Multipart.contentType(),
                new Multipart().file("f", "again.bin", "application/octet-stream", content).build())).get("blobRef");

        assertThat(second.get("blobId")).isEqualTo(first.get("blobId"));
        assertThat(GatewayHarness.files(gw.blobs.resolve("sha256")))
                .filteredOn(f -> !f.endsWith(".meta.json")).hasSize(1);
        assertThat(GatewayHarness.files(gw.blobs.resolve(".tmp"))).isEmpty();
    }

    @Test
    void declaredOversizeIsRefusedBeforeReadingAndLeavesNothing() throws Exception {
        HttpResponse<String> response = gw.post("/upload", "application/octet-stream", new byte[(1 << 20) + 1]);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(GatewayHarness.json(response).at("/error/code").asText()).isEqualTo("payload_too_large");
        assertNothingStored();
    }

    @Test
    void oversizeDiscoveredWhileStreamingLeavesNoPartialFile() throws Exception {
        // Chunked, so the gateway cannot know the size up front and must stop mid-stream.
        // The body is written from another thread while this one reads the answer: the gateway may stop reading
        // (and the writes fail) before the client is done, but it must still have answered 413; a crash gives no answer.
        byte[] chunk = randomBytes(64 << 10, 4);
        try (Socket socket = new Socket("127.0.0.1", gw.server.trafficPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < 48; i++) {
                        out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(chunk);
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (java.io.IOException stoppedReading) {
                    // Expected once the gateway refused the body.
                }
            });
            String statusLine = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            assertThat(statusLine).as("the gateway's answer").startsWith("HTTP/1.1 413");
            writer.join(Duration.ofSeconds(10));
        }
        assertThat(GatewayHarness.eventually(Duration.ofSeconds(5), this::nothingStored)).isTrue();
    }

    @Test
    void anUploadAbortedByTheClientLeavesNothing() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", gw.server.trafficPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Length: 900000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(randomBytes(200_000, 5));
            out.flush();
            assertThat(GatewayHarness.eventually(Duration.ofSeconds(5), () -> GatewayHarness.files(gw.blobs.resolve(".tmp")).size() == 1))
                    .as("the upload was under way").isTrue();
        }
        assertThat(GatewayHarness.eventually(Duration.ofSeconds(5), this::nothingStored)).isTrue();
    }

    @Test
    void aStoreThatCannotWriteIs503AndQueuesNoEnvelope() throws Exception {
        Path tmp = gw.blobs.resolve(".tmp");
        Files.delete(tmp);
        Files.writeString(tmp, "a file where the temp folder should be");

        HttpResponse<String> response = gw.post("/upload", "application/octet-stream", randomBytes(1000, 6));

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
        assertThat(GatewayHarness.json(response).at("/error/code").asText()).isEqualTo("backend_unavailable");
        assertThat(GatewayHarness.files(gw.queues)).isEmpty();
    }

    @Test
    void multipartWithoutAFileIsABadRequest() throws Exception {
        HttpResponse<String> response = gw.post("/upload", Multipart.contentType(),
                new Multipart().field("note", "no file").build());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(GatewayHarness.json(response).at("/error/message").asText()).contains("no file");
    }

    private boolean nothingStored() throws Exception {
        return GatewayHarness.files(gw.blobs.resolve("sha256")).isEmpty()
                && GatewayHarness.files(gw.blobs.resolve(".tmp")).isEmpty()
                && GatewayHarness.files(gw.queues).isEmpty();
    }

    private void assertNothingStored() throws Exception {
        assertThat(nothingStored()).as("no blob, no temp file, no envelope").isTrue();
    }

    static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String sha256(byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }

}
