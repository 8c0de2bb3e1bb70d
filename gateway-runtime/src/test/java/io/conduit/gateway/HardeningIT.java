package io.conduit.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Clients that misbehave: slow, truncated, oversized, malformed. Each leaves nothing behind. */
class HardeningIT {
    static final String CONFIG = """
            apiVersion: conduit.io/v1alpha1
            kind: EdgeGateway
            metadata: {name: edge}
            spec:
              limits: {maxBodySize: 300Ki, requestTimeout: 1s, maxHeaderSize: 4Ki}
            ---
            apiVersion: conduit.io/v1alpha1
            kind: RouteRule
            metadata: {name: upload}
            spec:
              when: {http: {method: POST, path: /upload}}
              send: {blob: {backendRef: {name: blobs}, maxSize: 100Ki}}
            ---
            apiVersion: conduit.io/v1alpha1
            kind: RouteRule
            metadata: {name: work}
            spec:
              when: {http: {method: POST, path: /work}}
              send: {queue: {backendRef: {name: queues}, queue: work, options: {jobId: "{$body.id}"}}}
            ---
            apiVersion: conduit.io/v1alpha1
            kind: RouteRule
            metadata: {name: greet}
            spec:
              when: {http: {method: POST, path: /greet}}
              send:
                queue: {backendRef: {name: queues}, queue: greetings}
                respond: {http: {status: 202, headers: {X-Greeting: "hello {$body.name}"}}}
            ---
            apiVersion: conduit.io/v1alpha1
            kind: RouteRule
            metadata: {name: noted}
            spec:
              when: {http: {method: POST, path: /noted}}
              send:
                blob: {backendRef: {name: blobs}, maxSize: 100Ki}
                respond: {http: {status: 201, headers: {X-Note: "{$body.note}"}}}
            ---
            apiVersion: conduit.io/v1alpha1
            kind: RouteRule
            metadata: {name: headers}
            spec:
              when: {http: {method: POST, path: /headers}}
              send: {queue: {backendRef: {name: queues}, queue: headers, message: {headers: $headers, auth: $headers.authorization}}}
            """;

    @TempDir
    Path root;
    GatewayHarness gw;

    @BeforeEach
    void start() throws Exception {
        gw = GatewayHarness.start(root, CONFIG);
    }

    @AfterEach
    void stop() {
        gw.close();
    }

    /** Sends raw bytes on a fresh connection and reads one answer: status line, headers and a Content-Length body. */
    String raw(byte[]... pieces) throws Exception {
        return raw(gw, pieces);
    }

    static String raw(GatewayHarness gw, byte[]... pieces) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", gw.server.trafficPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            for (byte[] piece : pieces) {
                out.write(piece);
                out.flush();
            }
            var in = new java.io.DataInputStream(socket.getInputStream());
            StringBuilder answer = new StringBuilder();
            int length = 0;
            for (String line; (line = readLine(in)) != null && !line.isEmpty(); ) {
                answer.append(line).append('\n');
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            byte[] body = new byte[length];
            in.readFully(body);
            return answer.append('\n').append(new String(body, StandardCharsets.UTF_8)).toString();
        }
    }

    static String readLine(java.io.InputStream in) throws java.io.IOException {
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) != -1; ) {
            if (c == '\n') {
                return line.toString().stripTrailing();
            }
            line.append((char) c);
        }
        return line.isEmpty() ? null : line.toString();
    }

    boolean nothingStored() throws Exception {
        return GatewayHarness.files(gw.blobs.resolve("sha256")).isEmpty()
                && GatewayHarness.files(gw.blobs.resolve(".tmp")).isEmpty();
    }

    @Test
    void aMultipartBodyCutOffInsideAPartIs400AndLeavesNothing() throws Exception {
        String body = "--b\r\nContent-Disposition: form-data; name=\"a\"; filename=\"x\"\r\n\r\nabc";
        String answer = raw(("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));

        assertThat(answer).startsWith("HTTP/1.1 400").contains("multipart body ended inside a part");
        assertThat(GatewayHarness.eventually(Duration.ofSeconds(5), this::nothingStored)).isTrue();
    }

    @Test
    void aTrickledBodyGets408AndLeavesNothing() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", gw.server.trafficPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
                    + "Content-Length: 50000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String status = null;
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            long deadline = System.currentTimeMillis() + 8000;
            try {
                while (System.currentTimeMillis() < deadline && status == null) {
                    out.write('x');
                    out.flush();
                    Thread.sleep(300);
                    if (socket.getInputStream().available() > 0) {
                        status = in.readLine();
                    }
                }
            } catch (java.io.IOException closedOnUs) {
                status = status == null ? in.readLine() : status;
            }
            assertThat(status).startsWith("HTTP/1.1 408");
        }
        assertThat(GatewayHarness.eventually(Duration.ofSeconds(5), this::nothingStored)).isTrue();
    }

    @Test
    void chunkedMultipartIsHeldToTheGatewayBodyLimit() throws Exception {
        Multipart form = new Multipart();
        for (int i = 0; i < 4; i++) {
            form.file("f" + i, "f" + i, "application/octet-stream", BlobUploadIT.randomBytes(90_000, i));
        }
        HttpRequest request = HttpRequest.newBuilder(gw.uri("/upload")).header("Content-Type", Multipart.contentType())
                .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofByteArray(form.build())))
                .build();
        int status;
        try {
            status = gw.send(request).statusCode();
        } catch (java.io.IOException cut) {
            status = 413;
        }
        assertThat(status).isEqualTo(413);
        assertThat(GatewayHarness.eventually(Duration.ofSeconds(5), this::nothingStored)).isTrue();
    }

    @Test
    void whenOneFileFailsNoFileOfTheRequestIsStored() throws Exception {
        byte[] body = new Multipart().file("ok", "ok.bin", "application/octet-stream", BlobUploadIT.randomBytes(50_000, 7))
                .file("big", "big.bin", "application/octet-stream", BlobUploadIT.randomBytes(150_000, 8)).build();

        assertThat(gw.post("/upload", Multipart.contentType(), body).statusCode()).isEqualTo(413);
        assertThat(GatewayHarness.eventually(Duration.ofSeconds(5), this::nothingStored)).isTrue();
    }

    @Test
    void anOversizedBodyIsRefusedBeforeTheClientIsInvitedToSendIt() throws Exception {
        String answer = raw(("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
                + "Content-Length: 5000000\r\nExpect: 100-continue\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(answer).startsWith("HTTP/1.1 413").doesNotContain("100 Continue");
    }

    @Test
    void requestsTheCodecCannotParseGetTheJsonErrorShape() throws Exception {
        String tooLargeHeaders = raw(("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(8000) + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        assertThat(tooLargeHeaders).matches("(?s)HTTP/1\\.[01] 431.*").containsIgnoringCase("x-request-id")
                .contains("\"code\":\"request_header_fields_too_large\"");

        String tooLongUri = raw(("GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(tooLongUri).matches("(?s)HTTP/1\\.[01] 414.*").contains("\"code\":\"uri_too_long\"");
    }

    @Test
    void aLineBreakARespondHeaderWouldCarryIs400NamingTheHeaderAndNothingIsQueuedOrStored() throws Exception {
        HttpResponse<String> split = gw.post("/greet", "application/json",
                "{\"name\":\"x\\r\\nSet-Cookie: session=attacker\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(split.statusCode()).as(split.body()).isEqualTo(400);
        assertThat(split.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(GatewayHarness.json(split).at("/error/message").asText()).contains("X-Greeting");
        assertThat(GatewayHarness.files(gw.queues.resolve("greetings"))).as("nothing queued, so a retry cannot duplicate")
                .isEmpty();

        byte[] form = new Multipart().field("note", "a\nb").file("f", "f.bin", "application/octet-stream",
                BlobUploadIT.randomBytes(1000, 3)).build();
        HttpResponse<String> stored = gw.post("/noted", Multipart.contentType(), form);
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(400);
        assertThat(GatewayHarness.json(stored).at("/error/message").asText()).contains("X-Note");
        assertThat(GatewayHarness.eventually(Duration.ofSeconds(5), this::nothingStored)).isTrue();

        HttpResponse<String> fine = gw.post("/greet", "application/json", "{\"name\":\"ada\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(fine.statusCode()).isEqualTo(202);
        assertThat(fine.headers().firstValue("X-Greeting")).hasValue("hello ada");
    }

    @Test
    void credentialsInHeadersNeverReachTheQueueThroughHeadersTemplates() throws Exception {
        HttpResponse<String> response = gw.send(HttpRequest.newBuilder(gw.uri("/headers")).header("Content-Type", "application/json")
                .header("Authorization", "Bearer secret-1").header("Cookie", "session=secret-2")
                .header("Proxy-Authorization", "Basic secret-3").header("X-Trace", "t-1")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);

        String queued = Files.readString(gw.queues.resolve("headers/new").resolve(
                GatewayHarness.json(response).at("/queueRef/jobId").asText() + ".json"));
        assertThat(queued).doesNotContain("secret-1").doesNotContain("secret-2").doesNotContain("secret-3");
        JsonNode message = GatewayHarness.json(queued).get("message");
        assertThat(message.at("/headers/authorization").asText()).isEqualTo("[redacted]");
        assertThat(message.at("/headers/cookie").asText()).isEqualTo("[redacted]");
        assertThat(message.get("auth").asText()).isEqualTo("[redacted]");
        assertThat(message.at("/headers/x-trace").asText()).isEqualTo("t-1");
    }

    @Test
    void aConnectionThatNeverSendsAHeadIsClosedAtTheRequestTimeoutNotTheIdleTimeout() throws Exception {
        // requestTimeout is 1s here, idleTimeout the default 60s.
        try (Socket socket = new Socket("127.0.0.1", gw.server.trafficPort())) {
            socket.setSoTimeout(10_000);
            long start = System.nanoTime();
            int read;
            try {
                read = socket.getInputStream().read();
            } catch (java.net.SocketException reset) {
                read = -1;
            }
            long waited = Duration.ofNanos(System.nanoTime() - start).toMillis();
            assertThat(read).as("closed without an answer").isEqualTo(-1);
            assertThat(waited).isBetween(500L, 4_000L);
        }
    }

    @Test
    void aRepeatedJobIdStaysAnsweredAfterTheConsumerFinishedTheFirst() throws Exception {
        HttpResponse<String> first = gw.post("/work", "application/json", "{\"id\":\"j-1\"}".getBytes());
        Path dir = gw.queues.resolve("work");
        Files.move(dir.resolve("new/j-1.json"), dir.resolve("cur/j-1.json"));
        Files.delete(dir.resolve("cur/j-1.json"));

        HttpResponse<String> again = gw.post("/work", "application/json", "{\"id\":\"j-1\"}".getBytes());

        assertThat(again.statusCode()).isEqualTo(202);
        JsonNode ref = GatewayHarness.json(again).get("queueRef");
        assertThat(ref.get("timestamp")).isEqualTo(GatewayHarness.json(first).at("/queueRef/timestamp"));
        assertThat(GatewayHarness.files(dir.resolve("new"))).as("written once").isEmpty();
    }

    @Test
    void anEmptiedFolderIsRefusedAndTheOldConfigKeepsServing() throws Exception {
        Files.writeString(gw.configDir.resolve("rules.yaml"), "");
        Files.writeString(gw.configDir.resolve("backends.yaml"), "");

        assertThat(GatewayHarness.eventually(Duration.ofSeconds(10),
                () -> gw.adminConfig().get("problems").toString().contains("no Conduit resources"))).isTrue();
        assertThat(gw.post("/work", "application/json", "{}".getBytes()).statusCode()).isEqualTo(202);
    }
}
