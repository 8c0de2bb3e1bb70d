package io.conduit.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bodies that end early or lie about their length, with the 30s request timeout a gateway runs with: each is
 * answered (or its connection dropped) as soon as the body ends, not at the deadline, and leaves nothing behind.
 */
class TruncatedBodyIT {
    static final String CONFIG = """
            apiVersion: conduit.io/v1alpha1
            kind: EdgeGateway
            metadata: {name: edge}
            spec:
              limits: {requestTimeout: 30s}
            ---
            apiVersion: conduit.io/v1alpha1
            kind: RouteRule
            metadata: {name: upload}
            spec:
              when: {http: {method: POST, path: /upload}}
              send: {blob: {backendRef: {name: blobs}}}
            ---
            apiVersion: conduit.io/v1alpha1
            kind: RouteRule
            metadata: {name: work}
            spec:
              when: {http: {method: POST, path: /work}}
              send: {queue: {backendRef: {name: queues}, queue: work}}
            """;
    /** Far below the 30s deadline, with room for a slow shared machine. */
    static final Duration PROMPTLY = Duration.ofSeconds(5);
    static final String PART = "--b\r\nContent-Disposition: form-data; name=\"a\"; filename=\"x\"\r\n\r\n";

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

    String answerTo(String request) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return HardeningIT.raw(gw, request.getBytes(StandardCharsets.US_ASCII));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).get(PROMPTLY.toSeconds(), TimeUnit.SECONDS);
    }

    static String multipart(String body) {
        return "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body;
    }

    boolean nothingStored() throws Exception {
        return GatewayHarness.files(gw.blobs.resolve("sha256")).isEmpty()
                && GatewayHarness.files(gw.blobs.resolve(".tmp")).isEmpty()
                && GatewayHarness.files(gw.queues.resolve("work").resolve("new")).isEmpty();
    }

    @Test
    void aMultipartBodyEndingInsideAPartIsAnswered400AtOnce() throws Exception {
        String answer = answerTo(multipart(PART + "abc"));

        assertThat(answer).startsWith("HTTP/1.1 400").contains("multipart body ended inside a part");
        assertThat(GatewayHarness.eventually(PROMPTLY, this::nothingStored)).isTrue();
    }

    @Test
    void aMultipartBodyWithoutItsClosingBoundaryIsAnswered400AtOnce() throws Exception {
        String answer = answerTo(multipart(PART + "abc\r\n--b\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhi\r\n"));

        assertThat(answer).startsWith("HTTP/1.1 400").contains("no closing boundary");
        assertThat(GatewayHarness.eventually(PROMPTLY, this::nothingStored)).isTrue();
    }

    @Test
    void aChunkedMultipartBodyEndingInsideAPartIsAnswered400AtOnce() throws Exception {
        String body = PART + "abc";
        String answer = answerTo("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 400").contains("multipart body ended inside a part");
        assertThat(GatewayHarness.eventually(PROMPTLY, this::nothingStored)).isTrue();
    }

    @Test
    void aCompleteMultipartBodyIsStillStored() throws Exception {
        String answer = answerTo(multipart(PART + "abc\r\n--b--\r\n"));

        assertThat(answer).startsWith("HTTP/1.1 201");
    }

    @Test
    void aBodyShorterThanItsContentLengthDropsTheConnectionOnceTheClientStopsAndLeavesNothing() throws Exception {
        droppedPromptly("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
                + "Content-Length: 100000\r\n\r\n" + "x".repeat(5000));
        droppedPromptly(multipart(PART + "abc\r\n--b--\r\n").replace("Content-Length: ", "Content-Length: 9") + "tail");
        droppedPromptly("POST /work HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 1000\r\n\r\n{\"id\": ");
        assertThat(GatewayHarness.eventually(PROMPTLY, this::nothingStored)).isTrue();
    }

    @Test
    void aChunkedBodyCutShortDropsTheConnectionOnceTheClientStopsAndLeavesNothing() throws Exception {
        droppedPromptly("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n1000\r\n" + "x".repeat(100));
        droppedPromptly("POST /work HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n5\r\n{\"id\"\r\n");
        assertThat(GatewayHarness.eventually(PROMPTLY, this::nothingStored)).isTrue();
    }

    /**
     * Sends {@code request}, then ends the client's side: the body can never complete, so no answer can be
     * right; the gateway closes the connection at once rather than holding it until the deadline.
     */
    void droppedPromptly(String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", gw.server.trafficPort())) {
            socket.setSoTimeout((int) PROMPTLY.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            socket.shutdownOutput();
            InputStream in = socket.getInputStream();
            long started = System.nanoTime();
            try {
                while (in.read() != -1) {
                    // Whatever the gateway says before closing is fine; the point is that it closes.
                }
            } catch (SocketException reset) {
                // A reset closes as well.
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(PROMPTLY);
        }
    }
}
