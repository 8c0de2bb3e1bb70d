package io.conduit.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which rule answers which request, seen from the client: each rule writes to a queue named after itself. */
class RoutingIT {
    @TempDir
    static Path root;
    static GatewayHarness gw;

    static String rule(String name, String match) {
        return """
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: %s}
                spec:
                  when: {http: %s}
                  send:
                    queue: {backendRef: {name: queues}, queue: %s, message: {rule: %s, vars: $path}}
                ---
                """.formatted(name, match, name, name);
    }

    @BeforeAll
    static void start() throws Exception {
        gw = GatewayHarness.start(root, rule("exact", "{method: POST, path: /files/special}")
                + rule("template", "{method: POST, path: \"/files/{name}\"}")
                + rule("prefix", "{method: POST, path: \"/files/**\"}")
                + rule("json-only", "{method: PUT, path: /typed, contentType: application/json}")
                + rule("any-text", "{method: PUT, path: /typed, contentType: \"text/*\"}")
                + rule("beta", "{path: /feature, headers: [{name: X-Beta, value: \"yes\"}]}")
                + rule("regex", "{path: /feature, headers: [{name: X-Version, value: \"v[0-9]+\", type: RegularExpression}]}")
                + rule("any-method", "{path: /anything}"));
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    static String ruleThatAnswered(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode ref = GatewayHarness.json(response).get("queueRef");
        Path file = gw.queues.resolve(ref.get("queue").asText()).resolve("new").resolve(ref.get("jobId").asText() + ".json");
        return GatewayHarness.json(Files.readString(file)).at("/message/rule").asText();
    }

    static HttpResponse<String> send(String method, String path, String contentType, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(gw.uri(path)).header("Content-Type", contentType)
                .method(method, HttpRequest.BodyPublishers.ofString("\"x\""));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return gw.send(b.build());
    }

    @Test
    void exactBeatsTemplateBeatsPrefix() throws Exception {
        assertThat(ruleThatAnswered(send("POST", "/files/special", "application/json"))).isEqualTo("exact");
        assertThat(ruleThatAnswered(send("POST", "/files/report.pdf", "application/json"))).isEqualTo("template");
        assertThat(ruleThatAnswered(send("POST", "/files/a/b/c", "application/json"))).isEqualTo("prefix");
        assertThat(ruleThatAnswered(send("POST", "/files", "application/json"))).isEqualTo("prefix");
    }

    @Test
    void pathVariablesReachTemplates() throws Exception {
        HttpResponse<String> response = send("POST", "/files/my%20report", "application/json");
        JsonNode ref = GatewayHarness.json(response).get("queueRef");
        Path file = gw.queues.resolve("template").resolve("new").resolve(ref.get("jobId").asText() + ".json");
        assertThat(GatewayHarness.json(Files.readString(file)).at("/message/vars/name").asText()).isEqualTo("my report");
    }

    @Test
    void contentTypeSelectsTheRuleAndAMismatchIs415() throws Exception {
        assertThat(ruleThatAnswered(send("PUT", "/typed", "application/json; charset=utf-8"))).isEqualTo("json-only");
        assertThat(ruleThatAnswered(send("PUT", "/typed", "text/plain"))).isEqualTo("any-text");
        HttpResponse<String> response = send("PUT", "/typed", "application/xml");
        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(GatewayHarness.json(response).at("/error/code").asText()).isEqualTo("unsupported_media_type");
    }

    @Test
    void headerConditionsSelectTheRule() throws Exception {
        assertThat(ruleThatAnswered(send("POST", "/feature", "application/json", "X-Beta", "yes"))).isEqualTo("beta");
        assertThat(ruleThatAnswered(send("POST", "/feature", "application/json", "X-Version", "v12"))).isEqualTo("regex");
        assertThat(send("POST", "/feature", "application/json", "X-Version", "twelve").statusCode()).isEqualTo(404);
    }

    @Test
    void aRuleWithoutMethodTakesAnyMethod() throws Exception {
        assertThat(ruleThatAnswered(send("PATCH", "/anything", "application/json"))).isEqualTo("any-method");
    }

    @Test
    void unknownPathIs404AndWrongMethodIs405WithAllow() throws Exception {
        HttpResponse<String> missing = gw.get("/nowhere");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(GatewayHarness.json(missing).at("/error/code").asText()).isEqualTo("not_found");
        assertThat(missing.headers().firstValue("X-Request-Id")).isPresent();
        assertThat(missing.headers().firstValue("Content-Type")).hasValue("application/json");

        HttpResponse<String> wrong = gw.send(HttpRequest.newBuilder(gw.uri("/files/special"))
                .method("DELETE", HttpRequest.BodyPublishers.noBody()).build());
        assertThat(wrong.statusCode()).isEqualTo(405);
        assertThat(wrong.headers().firstValue("Allow")).hasValue("POST");
        assertThat(GatewayHarness.json(wrong).at("/error/message").asText()).contains("DELETE");
    }

    @Test
    void healthAndReadiness() throws Exception {
        assertThat(gw.get("/healthz").statusCode()).isEqualTo(200);
        HttpResponse<String> ready = gw.get("/readyz");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(GatewayHarness.json(ready).get("revision").asText()).isNotBlank();
        assertThat(new String(ready.body().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).contains("ready");
    }
}
