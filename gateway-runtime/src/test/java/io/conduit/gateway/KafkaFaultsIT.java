package io.conduit.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.conduit.testsupport.KafkaBroker;
import io.conduit.testsupport.Needs;
import io.conduit.testsupport.TestServers;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker going away and coming back under load: the gateway answers 503 with Retry-After within the request
 * timeout, never hangs, and after the broker returns every request it answered 202 is in the topic exactly once,
 * at the partition and offset it was told.
 */
class KafkaFaultsIT {
    static final long REQUEST_TIMEOUT_MILLIS = 3000;

    @TempDir
    Path root;
    KafkaBroker kafka;
    GatewayHarness gw;
    String topic;

    /** One request's outcome, as the client saw it. */
    record Outcome(int n, int status, Integer partition, Long offset, long millis, boolean retryAfter) {
    }

    @BeforeEach
    void start() {
        kafka = TestServers.kafka();
        Needs.require(kafka.restartable(), "a Kafka broker this JVM can stop and start", Needs.ownServer(KafkaBroker.ENV_VAR));
        topic = KafkaRecords.uniqueTopic("load");
        kafka.createTopic(topic, 2);
    }

    void startGateway() throws Exception {
        gw = GatewayHarness.start(root, """
                apiVersion: conduit.io/v1alpha1
                kind: EdgeGateway
                metadata: {name: edge}
                spec:
                  limits: {requestTimeout: 3s}
                ---
                """ + KafkaQueueIT.backendYaml("jobs", kafka, "{lingerMs: 2}") + """
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: jobs}
                spec:
                  when: {http: {method: POST, path: /jobs}}
                  send:
                    queue: {backendRef: {name: jobs}, queue: "%s"}
                """.formatted(topic));
    }

    @AfterEach
    void stop() {
        if (gw != null) {
            gw.close();
        }
        if (kafka != null && kafka.restartable()) {
            kafka.start();
        }
    }

    Outcome post(int n) throws Exception {
        long started = System.nanoTime();
        HttpResponse<String> response = gw.send(HttpRequest.newBuilder(gw.uri("/jobs")).timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"n\": " + n + "}"))
                .build());
        long millis = (System.nanoTime() - started) / 1_000_000;
        boolean ok = response.statusCode() == 202;
        var ref = ok ? GatewayHarness.json(response).get("queueRef") : null;
        return new Outcome(n, response.statusCode(), ok ? ref.get("partition").asInt() : null,
                ok ? ref.get("offset").asLong() : null, millis, response.headers().firstValue("Retry-After").isPresent());
    }

    @Test
    void aBrokerThatGoesAwayGives503sInTimeAndEveryAcceptedRequestIsStoredExactlyOnce() throws Exception {
        startGateway();
        // A gateway (and client) that has served before the outage: what is measured is the outage, not a cold JVM.
        Outcome warmUp = post(0);
        assertThat(warmUp.status()).isEqualTo(202);
        ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> clients = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            clients.add(Thread.ofPlatform().start(() -> {
                while (running.get()) {
                    try {
                        outcomes.add(post(next.incrementAndGet()));
                        Thread.sleep(10);
                    } catch (Exception e) {
                        throw new IllegalStateException("a request failed without an answer (hang or reset)", e);
                    }
                }
            }));
        }
        Thread.sleep(1500);
        kafka.stop();
        Thread.sleep(4000);
        kafka.start();
        // Until the clients see the broker again, then a little longer.
        long end = System.currentTimeMillis() + 30_000;
        int restartedAt = next.get();
        while (System.currentTimeMillis() < end
                && outcomes.stream().noneMatch(o -> o.status() == 202 && o.n() > restartedAt)) {
            Thread.sleep(100);
        }
        Thread.sleep(1000);
        running.set(false);
        for (Thread c : clients) {
            c.join(30_000);
        }
        assertThat(next.get()).as("every client thread ended with an answer").isEqualTo(outcomes.size());

        List<Outcome> accepted = outcomes.stream().filter(o -> o.status() == 202).toList();
        List<Outcome> refused = outcomes.stream().filter(o -> o.status() != 202).toList();
        assertThat(refused).as("the broker was down for 4s").isNotEmpty();
        assertThat(refused).allSatisfy(o -> {
            assertThat(o.status()).isEqualTo(503);
            assertThat(o.retryAfter()).isTrue();
            assertThat(o.millis()).isLessThan(REQUEST_TIMEOUT_MILLIS + 1000);
        });
        int lastRefused = refused.stream().mapToInt(Outcome::n).max().orElseThrow();
        assertThat(accepted.stream().filter(o -> o.n() > lastRefused)).as("requests succeed again once the broker is back")
                .isNotEmpty();

        List<ConsumerRecord<String, String>> records = KafkaRecords.read(kafka, topic, accepted.size());
        Map<Integer, Integer> copies = new HashMap<>();
        Map<String, Integer> byPosition = new HashMap<>();
        for (ConsumerRecord<String, String> r : records) {
            int n = GatewayHarness.json(r.value()).get("n").asInt();
            copies.merge(n, 1, Integer::sum);
            byPosition.put(r.partition() + "-" + r.offset(), n);
        }
        for (Outcome o : accepted) {
            assertThat(copies.get(o.n())).as("copies of accepted request " + o.n()).isEqualTo(1);
            assertThat(byPosition.get(o.partition() + "-" + o.offset())).as("record at request " + o.n() + "'s queueRef")
                    .isEqualTo(o.n());
        }
        assertThat(copies.values()).as("no request stored twice, accepted or not").allMatch(c -> c == 1);
    }

    @Test
    void aGatewayStartedWhileTheBrokerIsDownServesOnceItIsUp() throws Exception {
        kafka.stop();
        startGateway();

        Outcome down = post(1);
        assertThat(down.status()).isEqualTo(503);
        assertThat(down.retryAfter()).isTrue();
        assertThat(down.millis()).isLessThan(REQUEST_TIMEOUT_MILLIS + 1000);

        kafka.start();
        Outcome up = null;
        long end = System.currentTimeMillis() + 30_000;
        int n = 2;
        while (System.currentTimeMillis() < end) {
            up = post(n++);
            if (up.status() == 202) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(up.status()).isEqualTo(202);
        List<ConsumerRecord<String, String>> records = KafkaRecords.read(kafka, topic, 1);
        Map<Integer, Long> byN = new HashMap<>();
        for (ConsumerRecord<String, String> r : records) {
            byN.merge(GatewayHarness.json(r.value()).get("n").asInt(), r.offset(), (x, y) -> -1L);
        }
        assertThat(byN).as("the accepted request once, at its offset").containsEntry(up.n(), up.offset());
        assertThat(byN).as("the request refused while the broker was down is not written later").doesNotContainKey(1);
        assertThat(byN.values()).as("nothing written twice").doesNotContain(-1L);
    }
}
