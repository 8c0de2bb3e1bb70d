package io.conduit.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conduit.config.ConfigJson;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator's side: reading and pushing GatewayConfig over the admin port. */
class AdminApiIT {
    static final String TOKEN = "s3cret-admin-token";

    @TempDir
    Path root;
    GatewayHarness gw;

    @BeforeEach
    void start() throws Exception {
        gw = GatewayHarness.start(root, ReloadIT.rule("v1"), TOKEN);
    }

    @AfterEach
    void stop() {
        gw.close();
    }

    HttpResponse<String> put(String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(gw.admin("/admin/config")).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return gw.send(b.build());
    }

    ObjectNode currentConfigWithQueue(String queue) throws Exception {
        ObjectNode config = (ObjectNode) gw.adminConfig().get("config").deepCopy();
        config.remove("revision");
        ((ObjectNode) config.at("/routes/0/queue")).put("queue", queue);
        return config;
    }

    @Test
    void showsRevisionSourceAndConfigWithoutSecrets() throws Exception {
        JsonNode admin = gw.adminConfig();
        assertThat(admin.get("revision").asText()).hasSize(16);
        assertThat(admin.get("source").asText()).startsWith("folder:");
        assertThat(admin.at("/config/routes/0/id").asText()).isEqualTo("default/work");
        assertThat(admin.get("problems")).isEmpty();
    }

    @Test
    void aPushNeedsTheToken() throws Exception {
        String body = ConfigJson.write(currentConfigWithQueue("pushed"));
        HttpResponse<String> none = put(body, null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).isPresent();
        assertThat(put(body, "wrong").statusCode()).isEqualTo(401);
    }

    @Test
    void aValidPushIsServedAtOnceAndAnswersItsRevision() throws Exception {
        HttpResponse<String> response = put(ConfigJson.write(currentConfigWithQueue("pushed")), TOKEN);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String revision = GatewayHarness.json(response).get("revision").asText();
        assertThat(gw.adminConfig().get("revision").asText()).isEqualTo(revision);
        assertThat(gw.adminConfig().get("source").asText()).isEqualTo("push");
        HttpResponse<String> served = gw.post("/work", "application/json", "{}".getBytes());
        assertThat(GatewayHarness.json(served).at("/queueRef/queue").asText()).isEqualTo("pushed");
    }

    @Test
    void anInvalidPushIsRefusedWithItsProblemsAndTheOldConfigKeepsServing() throws Exception {
        String before = gw.adminConfig().get("revision").asText();
        ObjectNode config = currentConfigWithQueue("x");
        ((ObjectNode) config.at("/routes/0/queue")).put("message", "$blobRef");

        HttpResponse<String> response = put(ConfigJson.write(config), TOKEN);

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = GatewayHarness.json(response).get("error");
        assertThat(error.at("/problems/0/message").asText()).contains("$blobRef");
        assertThat(gw.adminConfig().get("revision").asText()).isEqualTo(before);
        assertThat(GatewayHarness.json(gw.post("/work", "application/json", "{}".getBytes())).at("/queueRef/queue").asText())
                .isEqualTo("v1");
    }

    /**
     * Sixteen pushes at once: each is applied whole, one after the other, and what serves in the end is
     * exactly one of them (its revision and its rules together), never a mix. Which one is the server's
     * order; the order the client threads see their answers in may differ, so it is not asserted.
     */
    @Test
    void concurrentPushesAreEachAppliedWholeOneAfterTheOther() throws Exception {
        double appliedBefore = pushesApplied();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        java.util.Map<String, java.util.concurrent.Future<HttpResponse<String>>> answers = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 16; i++) {
            String body = ConfigJson.write(currentConfigWithQueue("q" + i));
            answers.put("q" + i, pool.submit(() -> put(body, TOKEN)));
        }
        java.util.Map<String, String> queueByRevision = new java.util.HashMap<>();
        for (var answer : answers.entrySet()) {
            HttpResponse<String> r = answer.getValue().get();
            assertThat(r.statusCode()).isEqualTo(200);
            queueByRevision.put(GatewayHarness.json(r).get("revision").asText(), answer.getKey());
        }
        pool.shutdown();
        assertThat(queueByRevision).as("a revision of its own per push").hasSize(16);

        String serving = gw.adminConfig().get("revision").asText();
        assertThat(queueByRevision).containsKey(serving);
        assertThat(GatewayHarness.json(gw.post("/work", "application/json", "{}".getBytes())).at("/queueRef/queue").asText())
                .as("the rules of the revision that serves").isEqualTo(queueByRevision.get(serving));
        assertThat(pushesApplied() - appliedBefore).as("every push applied, none skipped").isEqualTo(16.0);
    }

    private double pushesApplied() throws Exception {
        HttpResponse<String> r = gw.send(HttpRequest.newBuilder(gw.admin("/metrics")).GET().build());
        return PrometheusText.parse(r.body()).sum("conduit_config_reloads_total", "result", "applied", "source", "push");
    }

    /** One raw HTTP/1.1 exchange with the admin port: the head, then {@code body} (maybe shorter than declared); the status line. */
    String rawAdmin(String head, String body) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", gw.server.adminPort())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write((head + "\r\n\r\n" + body).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            return new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.UTF_8)).readLine();
        }
    }

    @Test
    void aRequestForAForeignHostIsRefusedEvenWithTheToken() throws Exception {
        String before = gw.adminConfig().get("revision").asText();
        String body = ConfigJson.write(currentConfigWithQueue("rebound"));

        String rebound = rawAdmin("PUT /admin/config HTTP/1.1\r\nHost: attacker.example:9901\r\nAuthorization: Bearer " + TOKEN
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length,
                body);
        assertThat(rebound).startsWith("HTTP/1.1 403");
        assertThat(rawAdmin("GET /admin/config HTTP/1.1\r\nHost: attacker.example", "")).startsWith("HTTP/1.1 403");
        assertThat(gw.adminConfig().get("revision").asText()).isEqualTo(before);

        for (String local : new String[] {"localhost:" + gw.server.adminPort(), "127.0.0.1", "[::1]:9901"}) {
            assertThat(rawAdmin("GET /admin/config HTTP/1.1\r\nHost: " + local + "\r\nConnection: close", ""))
                    .as(local).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void aPushWithoutTheTokenIsRefusedBeforeItsBodyIsRead() throws Exception {
        // 16 MiB declared, nothing sent: the answer must not wait for the body.
        String answer = rawAdmin("PUT /admin/config HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: 16000000", "{");
        assertThat(answer).startsWith("HTTP/1.1 401");
    }

    @Test
    void standaloneWithoutATokenAPushNeedsTheOneGeneratedIntoAFileOnlyTheUserCanRead() throws Exception {
        gw.close();
        gw = GatewayHarness.start(root.resolve("standalone"), ReloadIT.rule("v1"));
        String body = ConfigJson.write(currentConfigWithQueue("pushed"));

        assertThat(put(body, null).statusCode()).as("no token given is no longer an open door").isEqualTo(401);

        var generated = gw.server.generatedAdminToken();
        assertThat(java.nio.file.Files.getPosixFilePermissions(generated.file()))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        String token = java.nio.file.Files.readString(generated.file()).trim();
        HttpResponse<String> pushed = put(body, token);
        assertThat(pushed.statusCode()).as(pushed.body()).isEqualTo(200);
    }

    @Test
    void aPushNamingAMissingBackendIsRefused() throws Exception {
        ObjectNode config = currentConfigWithQueue("x");
        ((ObjectNode) config.at("/routes/0/queue")).put("backend", "nowhere");
        HttpResponse<String> response = put(ConfigJson.write(config), TOKEN);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(GatewayHarness.json(response).at("/error/problems/0/reason").asText()).isEqualTo("BackendNotFound");
    }
}
