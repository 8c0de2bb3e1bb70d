package io.conduit.gateway.queue.kafka;

import io.conduit.config.ConfigJson;
import io.conduit.config.QueueBackendConfig;
import io.conduit.gateway.errors.ErrorCode;
import io.conduit.gateway.errors.GatewayException;
import io.conduit.gateway.queue.IdempotencyKey;
import io.conduit.gateway.queue.IdempotencyRecords;
import io.conduit.gateway.queue.InProcessIdempotency;
import io.conduit.gateway.queue.JobIds;
import io.conduit.gateway.queue.JobOptions;
import io.conduit.gateway.queue.JobStatus;
import io.conduit.gateway.queue.QueueMessage;
import io.conduit.gateway.queue.QueueRef;
import io.conduit.gateway.queue.QueueSink;
import io.conduit.gateway.queue.redis.RedisIdempotency;
import io.conduit.gateway.redis.RedisConnection;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each message as one record to the topic named by the queue, through one idempotent {@code acks=all}
 * producer per backend. The value is the message JSON; the key is the rule's {@code options.key} template, else the
 * job id; headers carry {@code contentType}, {@code requestId}, {@code tenant}, {@code traceparent}, {@code tracestate}, {@code jobId},
 * {@code name} and {@code options} (the names the Redis Streams fields use). The queueRef is answered only from the
 * broker's acknowledgement, with its {@code partition} and {@code offset}.
 *
 * <p>{@code send()} of the Kafka client may block (for topic metadata, or a full buffer), so it runs on a worker
 * thread; the acknowledgement arrives on the producer's thread and is handed back to the caller's context.
 * Idempotency records live in the backend's {@code idempotencyRedis} ({@link RedisIdempotency}), or without one in
 * this process ({@link InProcessIdempotency}); see the docs for what each guarantees.
 */
public final class KafkaQueueSink implements QueueSink {
    public static final String BACKEND = "kafka";
    private static final Logger LOG = LoggerFactory.getLogger(KafkaQueueSink.class);
    /** Kafka's own rule for topic names. */
    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

    private final Vertx vertx;
    private final String name;
    private final Producer<String, byte[]> producer;
    private final long maxBlockMillis;
    private final IdempotencyRecords idempotency;

    KafkaQueueSink(Vertx vertx, String name, Producer<String, byte[]> producer, long maxBlockMillis,
                   IdempotencyRecords idempotency) {
        this.vertx = vertx;
        this.name = name;
        this.producer = producer;
        this.maxBlockMillis = maxBlockMillis;
        this.idempotency = idempotency;
    }

    /**
     * A sink with its producer; the producer connects lazily, so this does not wait for the brokers. Idempotency
     * records go to the backend's {@code idempotencyRedis} when it has one (with {@code redisCredentials}), else
     * they are kept in this process.
     */
    public static KafkaQueueSink create(Vertx vertx, String name, QueueBackendConfig.Kafka settings,
                                        Map<String, String> credentials, Map<String, String> redisCredentials,
                                        long requestTimeoutMillis, long idempotencyTtlMillis) {
        long maxBlock = KafkaProducerSettings.maxBlockMillis(requestTimeoutMillis);
        IdempotencyRecords records = settings.idempotencyRedis() == null
                ? new InProcessIdempotency(idempotencyTtlMillis, InProcessIdempotency.DEFAULT_CAPACITY, System::currentTimeMillis)
                : new RedisIdempotency(vertx, new RedisConnection(vertx, settings.idempotencyRedis(), redisCredentials,
                        Duration.ofMillis(maxBlock)), settings.idempotencyRedis().prefix(), idempotencyTtlMillis,
                        2 * requestTimeoutMillis);
        try {
            KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                    KafkaProducerSettings.of(settings, credentials, requestTimeoutMillis));
            return new KafkaQueueSink(vertx, name, producer, maxBlock, records);
        } catch (RuntimeException e) {
            records.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Future<QueueRef> send(QueueMessage message) {
        String topic = topic(message.queue());
        String jobId = message.jobId() == null ? JobIds.generate() : JobIds.requireSafe(message.jobId());
        IdempotencyKey key = message.idempotency();
        if (!key.fromClient()) {
            // The producer's own retries are deduplicated by the broker; nothing to remember here.
            return produce(topic, jobId, message);
        }
        return idempotency.once(topic, key, () -> produce(topic, jobId, message));
    }

    static String topic(String queue) {
        if (!TOPIC.matcher(queue).matches() || queue.equals(".") || queue.equals("..")) {
            throw new GatewayException(ErrorCode.BAD_REQUEST, "queue '" + abbreviate(queue) + "' is not a valid Kafka topic name:"
                    + " use 1-249 letters, digits, '.', '_' or '-'");
        }
        return queue;
    }

    private Future<QueueRef> produce(String topic, String jobId, QueueMessage message) {
        ProducerRecord<String, byte[]> record = record(topic, jobId, message);
        Context context = vertx.getOrCreateContext();
        long queuedAt = System.currentTimeMillis();
        CompletableFuture<RecordMetadata> acked = new CompletableFuture<>();
        return vertx.executeBlocking(() -> {
            // A send that waited this long for a worker belongs to a request that may be answering 503 by now.
            if (System.currentTimeMillis() - queuedAt > maxBlockMillis) {
                throw GatewayException.unavailable("queue backend " + name + " is overloaded", null);
            }
            producer.send(record, (metadata, failure) -> {
                if (failure != null) {
                    acked.completeExceptionally(failure);
                } else {
                    acked.complete(metadata);
                }
            });
            return null;
        }, false).compose(v -> Future.fromCompletionStage(acked, context))
                .recover(failure -> Future.failedFuture(failure instanceof GatewayException ? failure
                        : GatewayException.unavailable("queue backend " + name + " did not take the message", failure)))
                .map(metadata -> new QueueRef(BACKEND, name, jobId, topic, "waiting",
                        Instant.ofEpochMilli(metadata.timestamp()).toString(), null, metadata.partition(), metadata.offset(),
                        metadata.partition() + "-" + metadata.offset(), false));
    }

    static ProducerRecord<String, byte[]> record(String topic, String jobId, QueueMessage message) {
        byte[] value = message.payload().json().getBytes(StandardCharsets.UTF_8);
        String recordKey = message.options() != null && message.options().key() != null && !message.options().key().isEmpty()
                ? message.options().key() : jobId;
        RecordHeaders headers = new RecordHeaders();
        header(headers, "contentType", message.origin().contentType());
        header(headers, "requestId", message.origin().requestId());
        header(headers, "tenant", message.origin().tenant());
        header(headers, "traceparent", message.origin().traceparent());
        header(headers, "tracestate", message.origin().tracestate());
        header(headers, "jobId", jobId);
        header(headers, "name", message.jobName());
        if (message.options() != null && !message.options().equals(JobOptions.NONE)) {
            header(headers, "options", ConfigJson.write(message.options()));
        }
        return new ProducerRecord<>(topic, null, recordKey, value, headers);
    }

    private static void header(RecordHeaders headers, String name, String value) {
        if (value != null) {
            headers.add(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * Kafka keeps no per-record state a gateway can read, so this knows only jobs whose idempotency record this
     * process still holds ({@code stored}, with the record's {@code partition-offset}); anything else is {@code unknown}.
     */
    @Override
    public Future<JobStatus> status(String queue, String jobId) {
        return idempotency.find(topic(queue), JobIds.requireSafe(jobId)).map(ref -> ref == null
                ? JobStatus.of(name, queue, jobId, "unknown")
                : new JobStatus(name, queue, jobId, "stored", null, null, null, null, ref.messageId(), null));
    }

    /** Flushes what is in flight for a few seconds, off the caller's thread (it may be an event loop). */
    @Override
    public void close() {
        idempotency.close();
        Thread closer = new Thread(() -> {
            try {
                producer.close(CLOSE_GRACE);
            } catch (RuntimeException e) {
                LOG.warn("closing the producer of queue backend {} failed: {}", name, e.toString());
            }
        }, "kafka-close-" + name);
        closer.setDaemon(true);
        closer.start();
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
