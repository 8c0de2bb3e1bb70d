package io.conduit.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Editing the config folder while the gateway serves. */
class ReloadIT {
    static String rule(String queue) {
        return """
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: work}
                spec:
                  when: {http: {method: POST, path: /work}}
                  send:
                    queue: {backendRef: {name: queues}, queue: %s}
                """.formatted(queue);
    }

    @TempDir
    Path root;
    GatewayHarness gw;

    @BeforeEach
    void start() throws Exception {
        gw = GatewayHarness.start(root, rule("v1"));
    }

    @AfterEach
    void stop() {
        gw.close();
    }

    String queueServing() throws Exception {
        HttpResponse<String> r = gw.post("/work", "application/json", "{}".getBytes());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return GatewayHarness.json(r).at("/queueRef/queue").asText();
    }

    @Test
    void aChangedFileIsServedWithoutRestart() throws Exception {
        String before = gw.adminConfig().get("revision").asText();
        assertThat(queueServing()).isEqualTo("v1");

        Files.writeString(gw.configDir.resolve("rules.yaml"), rule("v2"));

        assertThat(GatewayHarness.eventually(Duration.ofSeconds(10), () -> queueServing().equals("v2"))).isTrue();
        assertThat(gw.adminConfig().get("revision").asText()).isNotEqualTo(before);
    }

    @Test
    void aBrokenEditIsRefusedWholeAndTheOldConfigKeepsServing() throws Exception {
        String before = gw.adminConfig().get("revision").asText();

        Files.writeString(gw.configDir.resolve("rules.yaml"), rule("v2").replace("path: /work", "path: work-without-slash"));

        assertThat(GatewayHarness.eventually(Duration.ofSeconds(10),
                () -> !gw.adminConfig().get("problems").isEmpty())).isTrue();
        JsonNode admin = gw.adminConfig();
        JsonNode problem = admin.get("problems").get(0);
        assertThat(problem.get("file").asText()).isEqualTo("rules.yaml");
        assertThat(problem.get("resource").asText()).isEqualTo("RouteRule default/work");
        assertThat(problem.get("message").asText()).contains("must start with /");
        assertThat(admin.get("revision").asText()).isEqualTo(before);
        assertThat(queueServing()).isEqualTo("v1");
        assertThat(gw.get("/readyz").statusCode()).isEqualTo(200);
    }

    @Test
    void theOldStringFormOfAReferenceIsRefusedWithWhatToWrite() throws Exception {
        Files.writeString(gw.configDir.resolve("rules.yaml"), rule("v2").replace("backendRef: {name: queues}", "backendRef: queues"));

        assertThat(GatewayHarness.eventually(Duration.ofSeconds(10),
                () -> !gw.adminConfig().get("problems").isEmpty())).isTrue();
        JsonNode problem = gw.adminConfig().get("problems").get(0);
        assertThat(problem.get("resource").asText()).isEqualTo("RouteRule work");
        assertThat(problem.get("message").asText())
                .isEqualTo("spec.send.queue.backendRef: expected an object such as {name: queues}, not 'queues'");
        assertThat(queueServing()).isEqualTo("v1");
    }

    @Test
    void unparseableYamlIsReportedWithItsFile() throws Exception {
        Files.writeString(gw.configDir.resolve("extra.yaml"), "kind: RouteRule\n  bad: [indentation\n");

        assertThat(GatewayHarness.eventually(Duration.ofSeconds(10),
                () -> !gw.adminConfig().get("problems").isEmpty())).isTrue();
        assertThat(gw.adminConfig().at("/problems/0/file").asText()).isEqualTo("extra.yaml");
        assertThat(queueServing()).isEqualTo("v1");
    }

    /** What one request got during the load: its status, and the queue (so the config version) that took it. */
    record Served(int status, String queue) {
    }

    @Test
    void reloadsUnderConcurrentLoadDropNoRequest() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService clients = Executors.newFixedThreadPool(8);
        List<Future<List<Served>>> results = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
            results.add(clients.submit(() -> {
                List<Served> served = new ArrayList<>();
                while (running.get()) {
                    HttpResponse<String> r = gw.send(HttpRequest.newBuilder(gw.uri("/work")).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{}")).build());
                    served.add(new Served(r.statusCode(), r.statusCode() == 202 ? GatewayHarness.json(r).at("/queueRef/queue").asText() : null));
                }
                return served;
            }));
        }
        for (int i = 0; i < 10; i++) {
            Files.writeString(gw.configDir.resolve("rules.yaml"), rule("q" + i));
            Thread.sleep(300);
        }
        running.set(false);
        List<Served> all = new ArrayList<>();
        for (Future<List<Served>> f : results) {
            all.addAll(f.get());
        }
        clients.shutdown();

        assertThat(all).hasSizeGreaterThan(100).allMatch(s -> s.status() == 202);
        // The reloads happened during the load, not after it: requests were served by several versions.
        assertThat(all.stream().map(Served::queue).distinct().toList()).as("versions served during the load").hasSizeGreaterThanOrEqualTo(4);
        assertThat(gw.adminConfig().at("/config/routes/0/queue/queue").asText()).isEqualTo("q9");
    }
}
