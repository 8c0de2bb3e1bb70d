package io.conduit.gateway.queue.redis;

import io.conduit.gateway.queue.IdempotencyKey;
import io.conduit.gateway.queue.IdempotencyRecord;
import io.conduit.gateway.queue.JobOptions;
import io.conduit.gateway.queue.JobStatus;
import io.conduit.gateway.queue.QueueMessage;
import io.conduit.gateway.queue.QueueRef;
import io.conduit.gateway.redis.RedisConnection;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.conduit.api.v1alpha1.QueueBackendSpec;
import io.conduit.config.QueueBackendConfig;
import io.conduit.testsupport.RedisServer;
import io.conduit.testsupport.TestServers;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Redis sinks against a real Redis, below the HTTP layer: what makes the gateway's own retries
 * safe (a message sent again after its answer was lost is stored once and is not taken for a client's
 * repeat), and scripts coming back after Redis forgot them.
 */
class RedisSinkRetryIT {
    static Vertx vertx;
    static RedisServer redis;
    static RedisClient client;
    static StatefulRedisConnection<String, String> probe;

    @BeforeAll
    static void start() {
        redis = TestServers.redis();
        vertx = Vertx.vertx();
        client = RedisClient.create(redis.uri().toString());
        probe = client.connect();
    }

    @AfterAll
    static void stop() {
        if (probe != null) {
            probe.close();
            client.shutdown();
        }
        if (vertx != null) {
            vertx.close();
        }
    }

    static RedisCommands<String, String> redis() {
        return probe.sync();
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get();
    }

    static RedisConnection connection(QueueBackendSpec.RedisMode mode, String prefix) {
        return new RedisConnection(vertx, new QueueBackendConfig.Redis(redis.uri().toString(), false, null, mode, prefix, null),
                Map.of(), Duration.ofSeconds(2));
    }

    /** A key of the gateway's own, as for a request with a 30 s timeout. */
    static IdempotencyKey ownKey() {
        return IdempotencyKey.forRetries(System.currentTimeMillis() + 30_000);
    }

    static QueueMessage message(String queue, String jobId, IdempotencyKey key) {
        return new QueueMessage(queue, jobId, queue, JsonNodeFactory.instance.objectNode().put("n", 1), JobOptions.NONE,
                new QueueMessage.Origin("req-1", "application/json", null, null, null), key);
    }

    @Test
    void theSameMessageSentTwiceIsStoredOnceAndAnsweredAsNew() throws Exception {
        String prefix = "retry-" + UUID.randomUUID();
        try (BullmqQueueSink sink = new BullmqQueueSink(vertx, "jobs", prefix, 3_600_000, connection(QueueBackendSpec.RedisMode.BULLMQ, prefix))) {
            long deadline = System.currentTimeMillis() + 30_000;
            QueueMessage message = message("q", null, IdempotencyKey.forRetries(deadline));

            QueueRef first = await(sink.send(message));
            QueueRef retried = await(sink.send(message));

            assertThat(retried).isEqualTo(first);
            assertThat(retried.duplicate()).as("a retry of our own is not a client's repeat: its follow-up is still due").isFalse();
            assertThat(redis().lrange(prefix + ":q:wait", 0, -1)).containsExactly(first.jobId());
            assertThat(redis().pttl(prefix + ":q:conduit:once:" + message.idempotency().value()))
                    .as("kept until the request's retries are over, plus the margin; not for the backend's ttl (an hour here)")
                    .isBetween(IdempotencyRecord.RETRY_KEY_MARGIN.toMillis() + 20_000, IdempotencyRecord.RETRY_KEY_MARGIN.toMillis() + 30_000);
            assertThat(redis().get(prefix + ":q:conduit:once:" + message.idempotency().value()))
                    .as("a retry key's record is short: no queueRef, only the id and the first timestamp")
                    .isEqualTo("\n" + message.idempotency().attempt() + "\n" + first.jobId() + "\n" + first.timestamp());
        }
    }

    @Test
    void anotherRequestWithTheSameClientKeyIsARepeat() throws Exception {
        String prefix = "retry-" + UUID.randomUUID();
        try (BullmqQueueSink sink = new BullmqQueueSink(vertx, "jobs", prefix, 60_000, connection(QueueBackendSpec.RedisMode.BULLMQ, prefix))) {
            QueueRef first = await(sink.send(message("q", "job-a", IdempotencyKey.client("job-a", "fp"))));
            QueueRef repeat = await(sink.send(message("q", "job-a", IdempotencyKey.client("job-a", "fp"))));

            assertThat(repeat.duplicate()).isTrue();
            assertThat(repeat.jobId()).isEqualTo(first.jobId());
            assertThat(repeat.timestamp()).isEqualTo(first.timestamp());
        }
    }

    @Test
    void scriptsAreLoadedAgainAfterRedisForgetsThem() throws Exception {
        String prefix = "retry-" + UUID.randomUUID();
        try (BullmqQueueSink bullmq = new BullmqQueueSink(vertx, "jobs", prefix, 60_000, connection(QueueBackendSpec.RedisMode.BULLMQ, prefix));
             StreamsQueueSink streams = new StreamsQueueSink(vertx, "events", prefix, null, 60_000,
                     connection(QueueBackendSpec.RedisMode.STREAMS, prefix))) {
            await(bullmq.send(message("q", null, ownKey())));
            redis().scriptFlush();

            QueueRef job = await(bullmq.send(message("q", null, ownKey())));
            QueueRef entry = await(streams.send(message("s", null, ownKey())));
            redis().scriptFlush();
            JobStatus status = await(bullmq.status("q", job.jobId()));

            assertThat(redis().llen(prefix + ":q:wait")).isEqualTo(2);
            assertThat(redis().xlen(prefix + ":s")).isEqualTo(1);
            assertThat(entry.messageId()).isNotBlank();
            assertThat(status.state()).isEqualTo("waiting");
        }
    }
}
