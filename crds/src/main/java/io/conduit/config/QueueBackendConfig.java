package io.conduit.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.conduit.api.v1alpha1.QueueBackendSpec;

/** A queue store as the gateway sees it. Exactly one of {@code spool} / {@code redis} / {@code kafka} is set. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QueueBackendConfig(
        String name,
        QueueBackendSpec.Type type,
        Spool spool,
        Redis redis,
        Kafka kafka,
        JobDefaults jobDefaults,
        long idempotencyTtlMillis) {

    public static final long DEFAULT_IDEMPOTENCY_TTL_MILLIS = 24L * 3600 * 1000;

    public record Spool(String path) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Redis(String url, boolean tls, String credentialsKey, QueueBackendSpec.RedisMode mode, String prefix,
                        Long streamMaxLen) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    /** {@code idempotencyRedis}: where idempotency records live for all replicas; null keeps them per process. */
    public record Kafka(String bootstrapServers, QueueBackendSpec.SecurityProtocol securityProtocol,
                        QueueBackendSpec.SaslMechanism saslMechanism, String credentialsKey, Integer lingerMs,
                        Integer batchSize, QueueBackendSpec.Compression compression, Redis idempotencyRedis) {
    }

    /** Defaults applied to every job of this backend; rule options win. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record JobDefaults(Integer attempts, QueueBackendSpec.Backoff backoff, JsonNode removeOnComplete,
                              JsonNode removeOnFail, boolean deadLetter, String deadLetterSuffix) {
        public static final JobDefaults NONE = new JobDefaults(null, null, null, null, true, "-dlq");
    }
}
