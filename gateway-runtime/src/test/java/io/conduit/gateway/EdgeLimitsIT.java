package io.conduit.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The EdgeGateway's request limits over raw HTTP/1.1: 413, 414, 431, 408 and slowloris connections closed. */
class EdgeLimitsIT {
    @TempDir
    static Path root;
    static GatewayHarness gw;

    @BeforeAll
    static void start() throws Exception {
        gw = GatewayHarness.start(root, """
                apiVersion: conduit.io/v1alpha1
                kind: EdgeGateway
                metadata: {name: edge}
                spec:
                  limits: {maxHeaderSize: 2Ki, maxBodySize: 1Mi, requestTimeout: 1s, idleTimeout: 2s}
                ---
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: avatar}
                spec:
                  when: {http: {method: POST, path: /avatar}}
                  send: {blob: {backendRef: {name: blobs}, maxSize: 1Ki}}
                """);
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    /** Sends the pieces, then reads whatever the gateway answers until it closes or 5 s pass. */
    static String exchange(String... pieces) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", gw.server.trafficPort())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            for (String piece : pieces) {
                out.write(piece.getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            InputStream in = socket.getInputStream();
            StringBuilder answer = new StringBuilder();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    answer.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                    if (answer.toString().contains("}}")) {
                        break;
                    }
                }
            } catch (SocketTimeoutException | java.net.SocketException e) {
                // What arrived so far is the answer.
            }
            return answer.toString();
        }
    }

    @Test
    void aBodyOverTheRulesLimitIs413FromContentLengthBeforeItIsSent() throws Exception {
        String answer = exchange("POST /avatar HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\nContent-Length: 2048\r\n"
                + "Expect: 100-continue\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 413").doesNotContain("100 Continue").contains("\"code\":\"payload_too_large\"");
        assertThat(GatewayHarness.files(gw.blobs)).isEmpty();
    }

    @Test
    void aChunkedBodyOverTheRulesLimitIs413WhileStreaming() throws Exception {
        String chunk = "a".repeat(1500);
        String answer = exchange("POST /avatar HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n0\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 413");
        assertThat(GatewayHarness.eventually(java.time.Duration.ofSeconds(5),
                () -> GatewayHarness.files(gw.blobs).isEmpty())).isTrue();
    }

    @Test
    void headersOverTheConfiguredSizeAre431() throws Exception {
        String answer = exchange("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(3000) + "\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 431").contains("\"code\":\"request_header_fields_too_large\"");
    }

    @Test
    void aTooLongUriIs414() throws Exception {
        String answer = exchange("GET /" + "u".repeat(9000) + " HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(answer).matches("(?s)HTTP/1\\.[01] 414.*").contains("\"code\":\"uri_too_long\"");
    }

    @Test
    void aBodyThatStallsIs408() throws Exception {
        String answer = exchange("POST /avatar HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\nContent-Length: 500\r\n\r\nabc");

        assertThat(answer).startsWith("HTTP/1.1 408").contains("\"code\":\"request_timeout\"");
    }

    @Test
    void aConnectionTricklingItsHeadersIsClosed() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", gw.server.trafficPort())) {
            socket.setSoTimeout(200);
            OutputStream out = socket.getOutputStream();
            out.write("GET /healthz HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            long started = System.nanoTime();
            boolean closed = false;
            // One header byte every 200 ms keeps the connection from ever being idle.
            while (!closed && System.nanoTime() - started < 10_000_000_000L) {
                try {
                    out.write('X');
                    out.flush();
                    closed = socket.getInputStream().read() == -1;
                } catch (SocketTimeoutException stillOpen) {
                    // Not closed yet.
                } catch (IOException reset) {
                    closed = true;
                }
            }
            assertThat(closed).as("closed within the 1 s request timeout (checked per period)").isTrue();
            assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(5_000);
        }
    }

    @Test
    void aKeptAliveConnectionThatAnsweredAndTricklesTheNextHeadIsClosedToo() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", gw.server.trafficPort())) {
            socket.setSoTimeout(200);
            OutputStream out = socket.getOutputStream();
            out.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
            long started = System.nanoTime();
            boolean closed = false;
            StringBuilder seen = new StringBuilder();
            while (!closed && System.nanoTime() - started < 10_000_000_000L) {
                try {
                    out.write('X');
                    out.flush();
                    int b;
                    while ((b = socket.getInputStream().read()) > 0) {
                        seen.append((char) b);
                    }
                    closed = b == -1;
                } catch (SocketTimeoutException stillOpen) {
                    // Not closed yet.
                } catch (IOException reset) {
                    closed = true;
                }
            }
            assertThat(seen.toString()).startsWith("HTTP/1.1 200");
            assertThat(closed).isTrue();
        }
    }
}
