package io.conduit.gateway;

import static io.conduit.gateway.S3Fixture.randomBytes;
import static io.conduit.gateway.S3Fixture.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.conduit.gateway.blob.s3.PartMemoryProbe;
import io.conduit.testsupport.TestServers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21, item 3, as an attacker hits it: several clients send multipart bodies of many tiny files and
 * never finish them. What those pending bodies hold must be what they sent (no pooled S3 part buffer per
 * file, no open descriptor per file), so other uploads go on; once the bodies end they are stored whole.
 */
@Timeout(180)
class SmallFileBodiesIT {
    static final int BODIES = 4;
    /** Per body: local bodies hold enough files that a descriptor each would show; S3 needs only enough to take the part memory. */
    static final int FILES = 100;
    static final int S3_FILES = 30;

    @TempDir
    Path root;
    GatewayHarness gw;
    S3Fixture s3;
    final List<SlowBody> slow = new ArrayList<>();

    @AfterEach
    void stop() throws IOException {
        for (SlowBody b : slow) {
            b.socket.close();
        }
        if (gw != null) {
            gw.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    /** Long enough that the pending bodies are not timed out while the test looks at them. */
    static final String EDGE = """
            apiVersion: conduit.io/v1alpha1
            kind: EdgeGateway
            metadata: {name: edge}
            spec:
              limits: {requestTimeout: 120s}
            ---
            """;

    @Test
    void pendingBodiesOfTinyFilesHoldNoS3PartMemoryAndOtherUploadsGoOn() throws Exception {
        s3 = new S3Fixture(TestServers.s3());
        gw = GatewayHarness.start(root, EDGE + s3.backend("store", "") + s3.backend("cas", "contentAddressed: true", "prefix: cas")
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
                metadata: {name: upload-cas}
                spec:
                  when: {http: {method: POST, path: /cas}}
                  send:
                    blob: {backendRef: {name: cas}}
                """);
        assertThat(gw.adminConfig().get("problems")).as("config problems").isEmpty();
        for (int i = 0; i < BODIES; i++) {
            slow.add(SlowBody.open(gw, i % 2 == 0 ? "/upload" : "/cas", i, S3_FILES));
        }

        // A normal upload of two parts (the ITs' part memory has room for three) runs while they are pending. We wait
        // until it is answered, or until the part memory is all handed out (the pending bodies took it).
        byte[] normal = randomBytes(S3ConcurrencyIT.PART + 4096, 7);
        var normalAnswer = gw.http.sendAsync(HttpRequest.newBuilder(gw.uri("/upload"))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(normal)).build(), HttpResponse.BodyHandlers.ofString());
        long budget = Long.getLong("conduit.s3.partMemory");
        GatewayHarness.eventually(Duration.ofSeconds(100),
                () -> normalAnswer.isDone() || PartMemoryProbe.reserved() >= budget && PartMemoryProbe.uploadsWaiting());

        for (SlowBody b : slow) {
            b.assertPending();
        }
        assertThat(PartMemoryProbe.reserved()).as("part memory held while %d bodies of %d tiny files are pending",
                BODIES, S3_FILES).isLessThan(S3ConcurrencyIT.PART);
        HttpResponse<String> answer = normalAnswer.get();
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
        assertThat(sha256(s3.read(GatewayHarness.json(answer).get("blobRef").get("key").asText()))).isEqualTo(sha256(normal));

        for (SlowBody b : slow) {
            JsonNode refs = b.finish();
            assertThat(refs).hasSize(S3_FILES);
            for (int f : new int[] {0, S3_FILES - 1}) {
                assertThat(new String(s3.read(refs.get(f).get("key").asText()), StandardCharsets.UTF_8))
                        .isEqualTo(SlowBody.content(b.seed, f));
            }
        }
        assertThat(s3.openMultipartUploads()).isZero();
        assertThat(s3.blobKeys()).noneMatch(k -> k.contains(".conduit/tmp/"));
    }

    @Test
    void pendingBodiesOfTinyFilesHoldNoDescriptorPerLocalFile() throws Exception {
        gw = GatewayHarness.start(root, EDGE + """
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: upload}
                spec:
                  when: {http: {method: POST, path: /upload}}
                  send: {blob: {backendRef: {name: blobs}}}
                """);
        for (int i = 0; i < BODIES; i++) {
            slow.add(SlowBody.open(gw, "/upload", i, FILES));
        }
        // Every finished file is staged in .tmp (what the bodies hold until they end) ...
        Path tmp = gw.blobs.resolve(".tmp").toRealPath();
        assertThat(GatewayHarness.eventually(Duration.ofSeconds(30), () -> GatewayHarness.files(tmp).size() >= BODIES * FILES))
                .as("temp files of the pending bodies' files").isTrue();
        // ... but no descriptor stays open for a finished file: the gateway's open temp files go down to at most one
        // per body (the file it is writing), here none, as the bodies wait inside a form field.
        GatewayHarness.eventually(Duration.ofSeconds(30), () -> openFilesUnder(tmp) == 0);
        assertThat(openFilesUnder(tmp)).as("temp files held open while %d bodies of %d tiny files are pending",
                BODIES, FILES).isLessThanOrEqualTo(BODIES);

        HttpResponse<String> answer = gw.http.send(HttpRequest.newBuilder(gw.uri("/upload"))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("normal")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(201);
        for (SlowBody b : slow) {
            b.assertPending();
        }

        for (SlowBody b : slow) {
            JsonNode refs = b.finish();
            assertThat(refs).hasSize(FILES);
            assertThat(Files.readString(gw.blobs.resolve(refs.get(FILES - 1).get("path").asText())))
                    .isEqualTo(SlowBody.content(b.seed, FILES - 1));
        }
        assertThat(GatewayHarness.files(tmp)).isEmpty();
    }

    /** This JVM's (the gateway's) open descriptors on files under {@code dir}. */
    private static long openFilesUnder(Path dir) throws IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).startsWith(dir);
                } catch (IOException gone) {
                    return false;
                }
            }).count();
        }
    }

    /** A multipart body of tiny files sent whole, then held open inside a trailing form field. */
    record SlowBody(Socket socket, int seed, String tail) {
        static String content(int seed, int file) {
            return "tiny file " + seed + "-" + file;
        }

        static SlowBody open(GatewayHarness gw, String path, int seed, int files) throws IOException {
            StringBuilder head = new StringBuilder();
            for (int f = 0; f < files; f++) {
                head.append("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f").append(f)
                        .append(".txt\"\r\nContent-Type: text/plain\r\n\r\n").append(content(seed, f)).append("\r\n");
            }
            // The last file ends at this delimiter; the field after it never does until finish().
            head.append("--b\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nwai");
            String tail = "t\r\n--b--\r\n";
            Socket socket = new Socket("127.0.0.1", gw.server.trafficPort());
            socket.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: " + (head.length() + tail.length())
                    + "\r\n\r\n" + head).getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new SlowBody(socket, seed, tail);
        }

        void assertPending() throws IOException {
            socket.setSoTimeout(100);
            assertThatThrownBy(() -> socket.getInputStream().read()).as("the body is still pending, unanswered")
                    .isInstanceOf(SocketTimeoutException.class);
        }

        /** Sends the rest of the body; the blobRefs of the answer, which must be 201. */
        JsonNode finish() throws IOException {
            socket.getOutputStream().write(tail.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            socket.setSoTimeout(30_000);
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            String text = "";
            while (!text.contains("\r\n\r\n") || !complete(text)) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                answer.write(b);
                text = answer.toString(StandardCharsets.UTF_8);
            }
            assertThat(text).startsWith("HTTP/1.1 201");
            return GatewayHarness.json(text.substring(text.indexOf("\r\n\r\n") + 4)).get("blobRefs");
        }

        private static boolean complete(String text) {
            int split = text.indexOf("\r\n\r\n");
            var m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(text.substring(0, split));
            return m.find() && text.getBytes(StandardCharsets.UTF_8).length - split - 4 >= Integer.parseInt(m.group(1));
        }
    }
}
