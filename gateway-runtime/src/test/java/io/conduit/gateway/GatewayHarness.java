package io.conduit.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.conduit.config.ConfigJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * A real gateway on free ports, serving a config folder of a test's making, in this JVM. Tests talk
 * to it over HTTP only, as a client would (HTTP/1.1, as curl and most SDKs speak by default).
 */
final class GatewayHarness implements AutoCloseable {
    final Path root;
    final Path configDir;
    final Path blobs;
    final Path queues;
    final GatewayServer server;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    private GatewayHarness(Path root, GatewayServer server) {
        this.root = root;
        this.configDir = root.resolve("config");
        this.blobs = root.resolve("blobs");
        this.queues = root.resolve("queues");
        this.server = server;
    }

    /** Backends {@code blobs} (local, maxSize 1Mi) and {@code queues} (spool) under {@code root}, plus {@code rulesYaml}. */
    static GatewayHarness start(Path root, String rulesYaml) throws Exception {
        return start(root, rulesYaml, null);
    }

    static GatewayHarness start(Path root, String rulesYaml, String adminToken) throws Exception {
        return start(root, rulesYaml, adminToken, java.util.function.UnaryOperator.identity());
    }

    /** As above, with the options adjusted by {@code tweak} (log file, drain grace). */
    static GatewayHarness start(Path root, String rulesYaml, String adminToken,
                                java.util.function.UnaryOperator<GatewayOptions> tweak) throws Exception {
        Path config = Files.createDirectories(root.resolve("config"));
        Files.writeString(config.resolve("backends.yaml"), backends(root));
        Files.writeString(config.resolve("rules.yaml"), rulesYaml);
        GatewayOptions options = tweak.apply(new GatewayOptions(config, "127.0.0.1", 0, "127.0.0.1", 0, null, adminToken, null,
                null));
        GatewayServer server = new GatewayServer(options);
        server.start().toCompletionStage().toCompletableFuture().get();
        return new GatewayHarness(root, server);
    }

    static String backends(Path root) {
        return """
                apiVersion: conduit.io/v1alpha1
                kind: BlobBackend
                metadata: {name: blobs}
                spec:
                  type: local
                  local: {path: "%s"}
                  maxSize: 1Mi
                ---
                apiVersion: conduit.io/v1alpha1
                kind: QueueBackend
                metadata: {name: queues}
                spec:
                  type: spool
                  spool: {path: "%s"}
                """.formatted(root.resolve("blobs"), root.resolve("queues"));
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.trafficPort() + path);
    }

    URI admin(String path) {
        return URI.create("http://127.0.0.1:" + server.adminPort() + path);
    }

    HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).GET().build());
    }

    HttpResponse<String> post(String path, String contentType, byte[] body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    JsonNode adminConfig() throws IOException, InterruptedException {
        return json(send(HttpRequest.newBuilder(admin("/admin/config")).GET().build()));
    }

    static JsonNode json(HttpResponse<String> response) throws IOException {
        return json(response.body());
    }

    static JsonNode json(String text) throws IOException {
        return ConfigJson.MAPPER.readTree(text);
    }

    /** Every regular file below {@code dir}, relative paths, sorted. */
    static java.util.List<String> files(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return java.util.List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    /** Polls until {@code condition} holds or the timeout passes; returns whether it held. */
    static boolean eventually(Duration timeout, java.util.concurrent.Callable<Boolean> condition) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (condition.call()) {
                return true;
            }
            Thread.sleep(50);
        }
        return condition.call();
    }

    @Override
    public void close() {
        server.close();
    }
}
