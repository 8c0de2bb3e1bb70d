package io.conduit.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to the gateway process while slow uploads are in flight: it stops taking connections,
 * every upload it had accepted completes with 201 and is stored, then the process exits.
 */
class DrainIT {
    static final int UPLOADS = 6;
    static final int CHUNK = 4096;
    static final int CHUNKS = 40;
    static final long CHUNK_PAUSE_MILLIS = 100;

    @TempDir
    Path workDir;

    /** What one upload got back, and the digest of what it sent. */
    record Outcome(int status, String body, String sha256) {
    }

    @Test
    void sigtermFinishesEveryUploadInFlightThenExits() throws Exception {
        Path config = Files.createDirectories(workDir.resolve("config"));
        Files.writeString(config.resolve("all.yaml"), GatewayHarness.backends(workDir).replace("maxSize: 1Mi", "maxSize: 10Mi") + """
                ---
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: upload}
                spec:
                  when: {http: {method: POST, path: /upload}}
                  send:
                    blob: {backendRef: {name: blobs}}
                """);
        GatewayJarIT jar = new GatewayJarIT();
        jar.workDir = workDir;
        int port = GatewayJarIT.freePort();
        Path log = workDir.resolve("events.jsonl");
        int adminPort = GatewayJarIT.freePort();
        Process gateway = jar.start("--config", config.toString(), "--port", String.valueOf(port), "--admin-port",
                String.valueOf(adminPort), "--drain-grace", "30", "--log", log.toString());
        try {
            jar.waitUntilReady(port, gateway);
            CountDownLatch started = new CountDownLatch(UPLOADS);
            ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
            List<Future<Outcome>> uploads = new ArrayList<>();
            for (int i = 0; i < UPLOADS; i++) {
                uploads.add(pool.submit(() -> slowUpload(port, started)));
            }
            assertThat(started.await(10, TimeUnit.SECONDS)).as("every upload under way").isTrue();
            // Accepted means the gateway is handling it (a connection still in the kernel's backlog is not).
            java.net.URI metrics = java.net.URI.create("http://127.0.0.1:" + adminPort + "/metrics");
            assertThat(GatewayHarness.eventually(java.time.Duration.ofSeconds(10), () -> PrometheusText.parse(jar.http.send(
                    java.net.http.HttpRequest.newBuilder(metrics).build(), java.net.http.HttpResponse.BodyHandlers.ofString())
                    .body()).value("conduit_http_requests_in_flight") == UPLOADS)).as("gateway handling every upload").isTrue();

            gateway.destroy(); // SIGTERM

            assertThat(GatewayHarness.eventually(java.time.Duration.ofSeconds(5), () -> !accepts(port)))
                    .as("the port stops taking new connections while uploads are still running").isTrue();
            assertThat(uploads.stream().filter(f -> !f.isDone()).count()).as("uploads still in flight when it stopped accepting")
                    .isPositive();
            for (Future<Outcome> upload : uploads) {
                Outcome outcome = upload.get(60, TimeUnit.SECONDS);
                assertThat(outcome.status()).as(outcome.body()).isEqualTo(201);
                JsonNode ref = GatewayHarness.json(outcome.body()).get("blobRef");
                assertThat(ref.get("size").asLong()).isEqualTo((long) CHUNK * CHUNKS);
                Path stored = workDir.resolve("blobs").resolve(ref.get("path").asText());
                assertThat(stored).exists();
                assertThat(sha256(Files.readAllBytes(stored))).isEqualTo(outcome.sha256());
            }
            assertThat(gateway.waitFor(30, TimeUnit.SECONDS)).as("exits once drained").isTrue();
            pool.shutdown();

            List<JsonNode> drain = new ArrayList<>();
            for (String line : Files.readAllLines(log)) {
                JsonNode event = GatewayHarness.json(line);
                if (event.get("type").asText().equals("drain")) {
                    drain.add(event);
                }
            }
            assertThat(drain).hasSize(2);
            assertThat(drain.get(0).get("phase").asText()).isEqualTo("start");
            assertThat(drain.get(0).get("inFlight").asInt()).isEqualTo(UPLOADS);
            assertThat(drain.get(1).get("phase").asText()).isEqualTo("done");
            assertThat(drain.get(1).get("inFlight").asInt()).isZero();
            assertThat(Files.readAllLines(log).stream().filter(l -> l.contains("\"type\":\"request\"") && l.contains("\"status\":201")))
                    .hasSize(UPLOADS);
        } catch (Throwable failed) {
            gateway.waitFor(10, TimeUnit.SECONDS);
            System.out.println(Files.readString(workDir.resolve("gateway.log")));
            throw failed;
        } finally {
            gateway.destroyForcibly();
            gateway.waitFor(30, TimeUnit.SECONDS);
        }
    }

    static boolean accepts(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    /** An upload that trickles its body in over a few seconds, then reads the answer. */
    static Outcome slowUpload(int port, CountDownLatch started) throws Exception {
        byte[] body = new byte[CHUNK * CHUNKS];
        ThreadLocalRandom.current().nextBytes(body);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\nContent-Length: "
                    + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < CHUNKS; i++) {
                out.write(body, i * CHUNK, CHUNK);
                out.flush();
                if (i == 1) {
                    started.countDown();
                }
                Thread.sleep(CHUNK_PAUSE_MILLIS);
            }
            return read(new BufferedInputStream(socket.getInputStream()), sha256(body));
        }
    }

    static Outcome read(InputStream in, String sha256) throws IOException {
        String status = line(in);
        int contentLength = -1;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            if (header.toLowerCase().startsWith("content-length:")) {
                contentLength = Integer.parseInt(header.substring(15).trim());
            }
        }
        byte[] body = contentLength < 0 ? in.readAllBytes() : in.readNBytes(contentLength);
        return new Outcome(Integer.parseInt(status.split(" ")[1]), new String(body, StandardCharsets.UTF_8), sha256);
    }

    static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed mid-answer: " + b);
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
