package io.conduit.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.conduit.config.ConfigJson;
import io.conduit.config.EdgeConfig;
import io.conduit.config.GatewayConfig;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The push round against real HTTP endpoints on loopback standing for pods' admin ports (the operator's own
 * protocol: {@code PUT /admin/config} with the token, answering the revision now running).
 */
class ConfigRolloutTest {
    static final ResourceID GATEWAY = new ResourceID("edge", "shop");
    static final String TOKEN = "admin-token";
    static final GatewayConfig CONFIG = new GatewayConfig(null, "shop/edge", List.of(), List.of(), List.of(), EdgeConfig.DEFAULTS)
            .withRevision("rev-1");

    final List<HttpServer> servers = new ArrayList<>();
    final CountDownLatch testOver = new CountDownLatch(1);

    @AfterEach
    void stop() {
        testOver.countDown();
        servers.forEach(s -> s.stop(0));
    }

    /** A pod whose admin port runs {@code before} on each push, then acknowledges what it was sent. */
    Pod pod(String name, AtomicInteger asked, Runnable before) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/admin/config", exchange -> {
            asked.incrementAndGet();
            before.run();
            if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                answer(exchange, 401, "{}");
                return;
            }
            String revision = ConfigJson.MAPPER.readTree(exchange.getRequestBody()).path("revision").asText();
            answer(exchange, 200, "{\"revision\":\"" + revision + "\"}");
        });
        server.start();
        servers.add(server);
        return new PodBuilder().withNewMetadata().withName(name).withUid("uid-" + name).endMetadata()
                .withNewSpec().addNewContainer().withName("gateway")
                .addNewPort().withName("admin").withContainerPort(server.getAddress().getPort()).endPort().endContainer().endSpec()
                .withNewStatus().withPodIP("127.0.0.1").endStatus().build();
    }

    static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    void await(CountDownLatch latch, Duration atMost) {
        try {
            latch.await(atMost.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void everyPodIsAskedAtOnce() throws Exception {
        CountDownLatch bAsked = new CountDownLatch(1);
        // A answers only once B has been asked: pushed one after the other, A would time out waiting for B.
        Pod a = pod("edge-gateway-a", new AtomicInteger(), () -> await(bAsked, Duration.ofSeconds(10)));
        Pod b = pod("edge-gateway-b", new AtomicInteger(), bAsked::countDown);

        ConfigRollout.Round round = new ConfigRollout(Duration.ofSeconds(3)).push(GATEWAY, List.of(a, b), List.of(a, b), CONFIG, TOKEN);

        assertThat(round.failures()).isEmpty();
        assertThat(round.pushed()).containsExactly("edge-gateway-a", "edge-gateway-b");
        assertThat(round.readyRevisions()).containsExactly("rev-1", "rev-1");
        assertThat(round.updated()).isEqualTo(2);
    }

    @Test
    void aPodThatDoesNotAnswerInTimeIsNotSyncedAndHoldsUpNoOtherPod() throws Exception {
        Pod slow = pod("edge-gateway-slow", new AtomicInteger(), () -> await(testOver, Duration.ofSeconds(30)));
        Pod fast = pod("edge-gateway-fast", new AtomicInteger(), () -> { });

        long start = System.nanoTime();
        // Generous for a loaded machine: the fast pod must answer within it, the slow one never does.
        ConfigRollout.Round round = new ConfigRollout(Duration.ofSeconds(3))
                .push(GATEWAY, List.of(slow, fast), List.of(slow, fast), CONFIG, TOKEN);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(round.pushed()).containsExactly("edge-gateway-fast");
        assertThat(round.failures()).containsExactly("edge-gateway-slow: no answer within 3000 ms");
        assertThat(round.readyRevisions()).containsExactly(null, "rev-1");
        assertThat(round.updated()).isEqualTo(1);
        // One timeout for the round, and far from the slow pod's 30 seconds.
        assertThat(took).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void aPodThatAcknowledgedTheRevisionIsNotAskedAgainButOneThatFailedIs() throws Exception {
        AtomicInteger askedA = new AtomicInteger();
        AtomicInteger askedB = new AtomicInteger();
        Pod a = pod("edge-gateway-a", askedA, () -> { });
        Pod b = pod("edge-gateway-b", askedB, () -> { });
        Pod unreachable = new PodBuilder(b).editMetadata().withName("edge-gateway-c").withUid("uid-c").endMetadata()
                .editSpec().editFirstContainer().editFirstPort().withName("http").endPort().endContainer().endSpec().build();
        ConfigRollout rollout = new ConfigRollout(Duration.ofSeconds(3));

        rollout.push(GATEWAY, List.of(a, b, unreachable), List.of(a, b, unreachable), CONFIG, TOKEN);
        ConfigRollout.Round again = rollout.push(GATEWAY, List.of(a, b, unreachable), List.of(a, b, unreachable), CONFIG, TOKEN);

        assertThat(askedA).hasValue(1);
        assertThat(askedB).hasValue(1);
        assertThat(again.pushed()).isEmpty();
        assertThat(again.failures()).containsExactly("edge-gateway-c: pod declares no container port named admin");
        assertThat(again.readyRevisions()).containsExactly("rev-1", "rev-1", null);
    }
}
