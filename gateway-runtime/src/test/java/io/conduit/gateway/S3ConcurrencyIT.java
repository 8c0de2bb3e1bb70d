package io.conduit.gateway;

import static io.conduit.gateway.S3Fixture.randomBytes;
import static io.conduit.gateway.S3Fixture.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.conduit.gateway.blob.s3.PartMemoryProbe;
import io.conduit.testsupport.TestServers;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Concurrent multipart uploads sharing the JVM's S3 part memory (the ITs run with room for three
 * 5 MiB parts, {@code conduit.s3.partMemory}): uploads wait their turn instead of taking the heap,
 * and every one completes with its own bytes.
 */
@Timeout(180)
class S3ConcurrencyIT {
    static final int PART = 5 << 20;

    @TempDir
    Path root;
    S3Fixture s3;
    GatewayHarness gw;

    @BeforeEach
    void start() throws Exception {
        s3 = new S3Fixture(TestServers.s3());
        gw = GatewayHarness.start(root, s3.backend("store", "") + """
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: upload}
                spec:
                  when: {http: {method: POST, path: /upload}}
                  send:
                    blob: {backendRef: {name: store}}
                """);
        assertThat(gw.adminConfig().get("problems")).as("config problems").isEmpty();
    }

    @AfterEach
    void stop() {
        if (gw != null) {
            gw.close();
        }
        s3.close();
    }

    @Test
    void moreConcurrentUploadsThanPartMemoryAllCompleteWithTheirOwnBytes() throws Exception {
        // Watch the part memory while the uploads run: some must wait, and what is handed out stays within the budget.
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicBoolean sawWaiting = new AtomicBoolean();
        AtomicLong mostReserved = new AtomicLong();
        Thread watcher = Thread.ofVirtual().start(() -> {
            while (running.get()) {
                sawWaiting.compareAndSet(false, PartMemoryProbe.uploadsWaiting());
                mostReserved.accumulateAndGet(PartMemoryProbe.reserved(), Math::max);
                LockSupport.parkNanos(200_000);
            }
        });
        List<byte[]> bodies = new ArrayList<>();
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            byte[] body = randomBytes(2 * PART + 1000 * i, 100 + i);
            bodies.add(body);
            responses.add(gw.http.sendAsync(HttpRequest.newBuilder(gw.uri("/upload"))
                    .header("Content-Type", "application/octet-stream")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        for (int i = 0; i < bodies.size(); i++) {
            HttpResponse<String> response = responses.get(i).get();
            assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
            JsonNode ref = GatewayHarness.json(response).get("blobRef");
            assertThat(ref.get("sha256").asText()).isEqualTo(sha256(bodies.get(i)));
            assertThat(sha256(s3.read(ref.get("key").asText()))).isEqualTo(sha256(bodies.get(i)));
        }
        running.set(false);
        watcher.join();
        assertThat(sawWaiting).as("an upload waited its turn for part memory").isTrue();
        assertThat(mostReserved.get()).as("part memory handed out at once").isLessThanOrEqualTo(Long.getLong("conduit.s3.partMemory"));
        assertThat(s3.openMultipartUploads()).isZero();
    }
}
