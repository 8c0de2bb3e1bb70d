package io.conduit.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Queue rules through a real gateway into the spool, read back from disk as a consumer would. */
class QueueRuleIT {
    static final String RULES = """
            apiVersion: conduit.io/v1alpha1
            kind: RouteRule
            metadata: {name: orders}
            spec:
              when: {http: {method: POST, path: "/customers/{customer}/orders", contentType: application/json}}
              send:
                queue:
                  backendRef: {name: queues}
                  queue: orders
                  message:
                    customer: $path.customer
                    order: $body
                    firstItem: $body.items.0
                    source: $headers.X-Source
                    channel: $query.channel
                    requestId: $request.id
                  options:
                    jobId: "{$body.idempotencyKey}"
                    priority: $body.priority
                respond:
                  http:
                    status: 202
                    headers: {Location: "/v1/queues/queues/orders/jobs/{$body.idempotencyKey}"}
                    body: {accepted: true, queueRef: $queueRef}
              onComplete:
                enqueue:
                  backendRef: {name: queues}
                  to: monitor
                  envelope: {type: work_queued, payload: {queueRef: $queueRef, customer: $path.customer}}
            ---
            apiVersion: conduit.io/v1alpha1
            kind: RouteRule
            metadata: {name: events}
            spec:
              when: {http: {method: POST, path: /events, contentType: application/json}}
              send:
                queue: {backendRef: {name: queues}, queue: events}
            """;

    @TempDir
    Path root;
    GatewayHarness gw;

    @BeforeEach
    void start() throws Exception {
        gw = GatewayHarness.start(root, RULES);
    }

    @AfterEach
    void stop() {
        gw.close();
    }

    HttpResponse<String> order(String json) throws Exception {
        return gw.send(java.net.http.HttpRequest.newBuilder(gw.uri("/customers/acme/orders?channel=web"))
                .header("Content-Type", "application/json").header("X-Source", "portal").header("X-Request-Id", "req-42")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(json)).build());
    }

    @Test
    void aQueuedRequestLandsAsOneFileWithTheRenderedMessage() throws Exception {
        HttpResponse<String> response = order("{\"idempotencyKey\":\"o-1\",\"priority\":3,\"items\":[{\"sku\":\"A\"}]}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(response.headers().firstValue("Location")).hasValue("/v1/queues/queues/orders/jobs/o-1");
        assertThat(response.headers().firstValue("X-Request-Id")).hasValue("req-42");
        JsonNode ref = GatewayHarness.json(response).get("queueRef");
        assertThat(ref.get("backend").asText()).isEqualTo("spool");
        assertThat(ref.get("jobId").asText()).isEqualTo("o-1");
        assertThat(ref.get("queue").asText()).isEqualTo("orders");
        assertThat(ref.get("state").asText()).isEqualTo("new");
        assertThat(ref.get("priority").asInt()).isEqualTo(3);

        Path fresh = gw.queues.resolve("orders").resolve("new");
        assertThat(GatewayHarness.files(fresh)).containsExactly("o-1.json");
        assertThat(GatewayHarness.files(gw.queues.resolve("orders").resolve("tmp"))).isEmpty();
        JsonNode stored = GatewayHarness.json(Files.readString(fresh.resolve("o-1.json")));
        assertThat(stored.get("id").asText()).isEqualTo("o-1");
        assertThat(stored.at("/message/customer").asText()).isEqualTo("acme");
        assertThat(stored.at("/message/order/priority").asInt()).isEqualTo(3);
        assertThat(stored.at("/message/firstItem/sku").asText()).isEqualTo("A");
        assertThat(stored.at("/message/source").asText()).isEqualTo("portal");
        assertThat(stored.at("/message/channel").asText()).isEqualTo("web");
        assertThat(stored.at("/message/requestId").asText()).isEqualTo("req-42");
        assertThat(stored.at("/options/priority").asInt()).isEqualTo(3);
    }

    @Test
    void theFollowUpCarriesTheQueueRef() throws Exception {
        JsonNode ref = GatewayHarness.json(order("{\"idempotencyKey\":\"o-2\"}")).get("queueRef");

        Path monitor = gw.queues.resolve("monitor").resolve("new");
        var files = GatewayHarness.files(monitor);
        assertThat(files).hasSize(1);
        JsonNode envelope = GatewayHarness.json(Files.readString(monitor.resolve(files.get(0)))).get("message");
        assertThat(envelope.at("/payload/queueRef")).isEqualTo(ref);
        assertThat(envelope.at("/payload/customer").asText()).isEqualTo("acme");
    }

    @Test
    void aRepeatedJobIdWritesOnceAndAnswersTheSameReference() throws Exception {
        JsonNode first = GatewayHarness.json(order("{\"idempotencyKey\":\"o-3\"}")).get("queueRef");
        JsonNode second = GatewayHarness.json(order("{\"idempotencyKey\":\"o-3\"}")).get("queueRef");

        assertThat(second).isEqualTo(first);
        assertThat(GatewayHarness.files(gw.queues.resolve("orders").resolve("new"))).containsExactly("o-3.json");
        assertThat(GatewayHarness.files(gw.queues.resolve("monitor").resolve("new"))).as("no second follow-up").hasSize(1);
    }

    @Test
    void aJobIdOrIdempotencyKeyReusedWithAnotherBodyIsAConflictAndWritesNothing() throws Exception {
        order("{\"idempotencyKey\":\"o-5\",\"qty\":1}");
        String stored = Files.readString(gw.queues.resolve("orders").resolve("new").resolve("o-5.json"));

        HttpResponse<String> conflict = order("{\"idempotencyKey\":\"o-5\",\"qty\":2}");

        assertThat(conflict.statusCode()).as(conflict.body()).isEqualTo(409);
        assertThat(GatewayHarness.json(conflict).at("/error/code").asText()).isEqualTo("conflict");
        assertThat(Files.readString(gw.queues.resolve("orders").resolve("new").resolve("o-5.json"))).isEqualTo(stored);
        assertThat(GatewayHarness.files(gw.queues.resolve("monitor").resolve("new"))).as("no follow-up for it").hasSize(1);

        HttpResponse<String> first = gw.send(java.net.http.HttpRequest.newBuilder(gw.uri("/events"))
                .header("Content-Type", "application/json").header("Idempotency-Key", "ev-1")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"a\": 1}")).build());
        HttpResponse<String> other = gw.send(java.net.http.HttpRequest.newBuilder(gw.uri("/events"))
                .header("Content-Type", "application/json").header("Idempotency-Key", "ev-1")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"a\": 2}")).build());
        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(other.statusCode()).as("the header's key too").isEqualTo(409);
        assertThat(GatewayHarness.files(gw.queues.resolve("events").resolve("new"))).containsExactly("ev-1.json");
    }

    @Test
    void withoutAJobIdEachRequestGetsItsOwn() throws Exception {
        order("{}");
        order("{}");
        assertThat(GatewayHarness.files(gw.queues.resolve("orders").resolve("new"))).hasSize(2);
    }

    @Test
    void statusFollowsTheConsumerContract() throws Exception {
        order("{\"idempotencyKey\":\"o-4\"}");
        assertThat(GatewayHarness.json(gw.get("/v1/queues/queues/orders/jobs/o-4")).get("state").asText()).isEqualTo("new");

        Path dir = gw.queues.resolve("orders");
        Files.move(dir.resolve("new/o-4.json"), dir.resolve("cur/o-4.json"));
        assertThat(GatewayHarness.json(gw.get("/v1/queues/queues/orders/jobs/o-4")).get("state").asText())
                .isEqualTo("claimed");
        assertThat(GatewayHarness.json(gw.get("/v1/queues/queues/orders/jobs/nope")).get("state").asText())
                .isEqualTo("unknown");
        assertThat(gw.get("/v1/queues/missing/orders/jobs/o-4").statusCode()).isEqualTo(404);
    }

    @Test
    void badJsonIsA400AndQueuesNothing() throws Exception {
        HttpResponse<String> response = order("{not json");
        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = GatewayHarness.json(response).get("error");
        assertThat(error.get("code").asText()).isEqualTo("bad_request");
        assertThat(error.get("requestId").asText()).isEqualTo("req-42");
        assertThat(GatewayHarness.files(gw.queues)).isEmpty();
    }

    @Test
    void anUnsafeJobIdIsRefused() throws Exception {
        HttpResponse<String> response = order("{\"idempotencyKey\":\"../../etc/passwd\"}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(GatewayHarness.files(gw.queues)).isEmpty();
    }

    @Test
    void aBodyOverTheQueueLimitIs413() throws Exception {
        String big = "{\"pad\":\"" + "x".repeat(1 << 20) + "\"}";
        assertThat(order(big).statusCode()).isEqualTo(413);
        assertThat(GatewayHarness.files(gw.queues)).isEmpty();
    }

    @Test
    void aBackendThatCannotWriteIs503WithRetryAfterAndNoFollowUp() throws Exception {
        Files.createDirectories(gw.queues);
        Files.writeString(gw.queues.resolve("orders"), "a file where the queue folder should be");

        HttpResponse<String> response = order("{\"idempotencyKey\":\"o-5\"}");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
        assertThat(GatewayHarness.json(response).at("/error/code").asText()).isEqualTo("backend_unavailable");
        assertThat(GatewayHarness.json(response).at("/error/message").asText()).doesNotContain(root.toString());
        assertThat(GatewayHarness.files(gw.queues.resolve("monitor"))).isEmpty();
    }

    @Test
    void aFollowUpThatCannotBeQueuedGoesToTheDeadLetterQueue() throws Exception {
        Files.createDirectories(gw.queues);
        Files.writeString(gw.queues.resolve("monitor"), "a file where the queue folder should be");

        HttpResponse<String> response = order("{\"idempotencyKey\":\"o-6\"}");

        assertThat(response.statusCode()).as("the message and its dead letter are durable").isEqualTo(202);
        Path dlq = gw.queues.resolve("monitor-dlq").resolve("new");
        var files = GatewayHarness.files(dlq);
        assertThat(files).hasSize(1);
        JsonNode dead = GatewayHarness.json(Files.readString(dlq.resolve(files.get(0)))).get("message");
        assertThat(dead.get("queue").asText()).isEqualTo("monitor");
        assertThat(dead.get("error").asText()).isNotBlank();
        assertThat(dead.at("/envelope/type").asText()).isEqualTo("work_queued");
        assertThat(dead.at("/envelope/payload/queueRef/jobId").asText()).isEqualTo("o-6");
    }

    /** The one message the events rule queued, as the text of its spool file. */
    String queuedEvent() throws Exception {
        Path fresh = gw.queues.resolve("events").resolve("new");
        var files = GatewayHarness.files(fresh);
        assertThat(files).hasSize(1);
        return Files.readString(fresh.resolve(files.get(0)));
    }

    @Test
    void aWholeBodyMessageIsTheClientsJsonAsSent() throws Exception {
        String body = "{\"amount\": 1.50, \"tags\":[ \"a\" ,\"b\"], \"big\": 12345678901234567890123}";
        HttpResponse<String> response = gw.post("/events", "application/json", body.getBytes(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        String file = queuedEvent();
        assertThat(file).as("spacing and number forms are the client's").contains("\"message\":" + body);
        assertThat(GatewayHarness.json(file).at("/message/tags/1").asText()).isEqualTo("b");
    }

    @Test
    void aScalarBodyIsQueuedAsItsValue() throws Exception {
        assertThat(gw.post("/events", "application/json", "42".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(202);
        assertThat(GatewayHarness.json(queuedEvent()).get("message").asInt()).isEqualTo(42);
    }

    @Test
    void contentAfterTheJsonValueIsA400AndQueuesNothing() throws Exception {
        for (String body : new String[] {"{\"a\": 1} {\"b\": 2}", "[1, 2] trailing", "{\"a\": 1}}"}) {
            HttpResponse<String> response = gw.post("/events", "application/json", body.getBytes(StandardCharsets.UTF_8));
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(GatewayHarness.json(response).at("/error/code").asText()).isEqualTo("bad_request");
        }
        assertThat(GatewayHarness.files(gw.queues)).isEmpty();
    }

    @Test
    void aJsonBodyThatIsNotUtf8IsA400() throws Exception {
        byte[] body = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        HttpResponse<String> response = gw.post("/events", "application/json", body);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(GatewayHarness.files(gw.queues)).isEmpty();
    }

    @Test
    void textIsNotJson() throws Exception {
        HttpResponse<String> response = gw.post("/customers/acme/orders", "text/plain",
                "hi".getBytes(StandardCharsets.UTF_8));
        assertThat(response.statusCode()).isEqualTo(415);
    }
}
