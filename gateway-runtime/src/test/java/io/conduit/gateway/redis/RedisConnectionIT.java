package io.conduit.gateway.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.conduit.api.v1alpha1.QueueBackendSpec;
import io.conduit.config.QueueBackendConfig;
import io.conduit.testsupport.RedisServer;
import io.conduit.testsupport.TestServers;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The backend's connections live on the gateway's event loops: a command sent from an event loop is
 * written and answered on that very thread (no Lettuce I/O threads, no hand-offs), and the commands of
 * many concurrent requests on a loop all get their replies.
 */
class RedisConnectionIT {
    RedisServer redis;
    Vertx vertx;
    RedisConnection connection;

    @BeforeEach
    void start() {
        redis = TestServers.redis();
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        connection = new RedisConnection(vertx, new QueueBackendConfig.Redis(redis.uri().toString(), false, null,
                QueueBackendSpec.RedisMode.STREAMS, "t", null), Map.of(), Duration.ofSeconds(2));
    }

    @AfterEach
    void stop() throws Exception {
        connection.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void repliesArriveOnTheEventLoopThatSentTheCommand() throws Exception {
        // Two verticle instances get an event loop each, as the gateway's traffic servers do.
        java.util.Set<String> senders = java.util.concurrent.ConcurrentHashMap.newKeySet();
        List<String> outcomes = new java.util.concurrent.CopyOnWriteArrayList<>();
        vertx.deployVerticle(() -> new io.vertx.core.VerticleBase() {
            @Override
            public Future<?> start() {
                Thread sender = Thread.currentThread();
                senders.add(sender.getName());
                Promise<Void> done = Promise.promise();
                // Lettuce's own future: whichever thread completes it read the reply off the socket.
                connection.commands().thenCompose(r -> r.ping()).whenComplete((pong, failure) -> {
                    outcomes.add(failure == null && Thread.currentThread() == sender ? "same thread"
                            : "read on " + Thread.currentThread().getName() + ", sent on " + sender.getName()
                            + (failure == null ? "" : ", failed: " + failure));
                    done.complete();
                });
                return done.future();
            }
        }, new io.vertx.core.DeploymentOptions().setInstances(2)).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(senders).as("two event loops").hasSize(2);
        assertThat(outcomes).containsExactly("same thread", "same thread");
    }

    @Test
    void manyConcurrentCommandsFromOneLoopAreAllAnswered() throws Exception {
        Promise<List<Object>> all = Promise.promise();
        vertx.getOrCreateContext().runOnContext(v -> {
            List<Future<Long>> sends = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                sends.add(RedisCalls.call(vertx, connection, "incr", r -> r.incr("t:counter")));
            }
            Future.all(sends).map(f -> f.<Long>list().stream().map(n -> (Object) n).toList()).onComplete(all);
        });
        List<Object> counts = all.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(counts).hasSize(500).doesNotHaveDuplicates();
        assertThat(counts).contains(1L, 500L);
    }
}
