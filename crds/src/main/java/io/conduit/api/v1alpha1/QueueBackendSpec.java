package io.conduit.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.conduit.api.Durations;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.type != 'redis' || has(self.redis)", message = "redis settings are required when type is redis")
@ValidationRule(value = "self.type != 'kafka' || has(self.kafka)", message = "kafka settings are required when type is kafka")
@ValidationRule(value = "self.type != 'spool' || has(self.spool)", message = "spool settings are required when type is spool")
public record QueueBackendSpec(
        @Required @JsonPropertyDescription("Queue type: redis, kafka or spool (a local directory).") Type type,
        Redis redis,
        Kafka kafka,
        Spool spool,
        @JsonPropertyDescription("Options every job gets unless the rule sets them.") JobDefaults jobDefaults,
        Idempotency idempotency) {

    public enum Type {
        @JsonProperty("redis") REDIS,
        @JsonProperty("kafka") KAFKA,
        @JsonProperty("spool") SPOOL
    }

    public enum RedisMode {
        @JsonProperty("bullmq") BULLMQ,
        @JsonProperty("streams") STREAMS
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Redis(
            @Required @Pattern("^rediss?://.+") @JsonPropertyDescription("redis://host:port[/db] or rediss:// for TLS.") String url,
            Boolean tls,
            @JsonPropertyDescription("Secret with keys username (optional) and password.") SecretRef credentialsSecretRef,
            @JsonPropertyDescription("bullmq (jobs BullMQ 5 workers run) or streams (XADD per queue). Default bullmq.") RedisMode mode,
            @JsonPropertyDescription("Key prefix: default bull in bullmq mode (BullMQ's own), conduit in streams mode (streams are <prefix>:<queue>).")
            String prefix,
            @Min(1) @JsonPropertyDescription("Streams mode: approximate MAXLEN per stream.") Long streamMaxLen,
            RedisProvision provision) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RedisProvision(
            @JsonPropertyDescription("Create an ACL user per EdgeGateway that uses this backend, limited to its prefix and the commands "
                    + "its mode needs; the gateway then logs in as that user instead of with credentialsSecretRef (the admin).")
            Boolean aclUsers,
            @JsonPropertyDescription("Read-side identities for workers: an ACL user each, written with the connection URL into a "
                    + "Secret of this namespace.") List<ProvisionedConsumer> consumers) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Kafka(
            @Required @JsonPropertyDescription("Comma-separated host:port list.") String bootstrapServers,
            KafkaSecurity security,
            @JsonPropertyDescription("Secret with keys username and password for SASL, and optionally ca.crt (PEM) to trust, tls.crt and tls.key for a client certificate.") SecretRef credentialsSecretRef,
            KafkaProducer producer,
            KafkaProvision provision,
            @JsonPropertyDescription("A Redis holding idempotency records shared by all gateway replicas; without it each gateway process keeps its own.") IdempotencyRedis idempotencyRedis) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record IdempotencyRedis(
            @Required @Pattern("^rediss?://.+") @JsonPropertyDescription("redis://host:port[/db] or rediss:// for TLS.") String url,
            @JsonPropertyDescription("Secret with keys username (optional) and password.") SecretRef credentialsSecretRef,
            @JsonPropertyDescription("Key prefix, default conduit.") String prefix) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record KafkaSecurity(SecurityProtocol protocol, SaslMechanism saslMechanism) {
    }

    public enum SecurityProtocol {
        PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL
    }

    public enum SaslMechanism {
        PLAIN,
        @JsonProperty("SCRAM-SHA-256") SCRAM_SHA_256,
        @JsonProperty("SCRAM-SHA-512") SCRAM_SHA_512
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record KafkaProducer(@Min(0) Integer lingerMs, @Min(1) Integer batchSize, Compression compression) {
    }

    public enum Compression {
        none, gzip, snappy, lz4, zstd
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record KafkaProvision(List<KafkaTopic> topics, Boolean users) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record KafkaTopic(@Required String name, @Min(1) Integer partitions, @Min(1) Integer replicationFactor) {
    }

    public record Spool(@Required @JsonPropertyDescription("Directory holding one Maildir-style folder per queue.") String path) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record JobDefaults(
            @Min(1) Integer attempts,
            Backoff backoff,
            @JsonPropertyDescription("true, false, a count to keep, or {age, count}.") JsonNode removeOnComplete,
            @JsonPropertyDescription("true, false, a count to keep, or {age, count}.") JsonNode removeOnFail,
            DeadLetter deadLetter) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Backoff(
            @Required BackoffType type,
            @Min(0) @JsonPropertyDescription("Base delay in milliseconds.") Long delay,
            @Min(0) @Max(1) @JsonPropertyDescription("Random fraction of the delay, 0..1.") Double jitter) {
    }

    public enum BackoffType {
        fixed, exponential
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DeadLetter(Boolean enabled, @JsonPropertyDescription("Suffix of the dead-letter queue, default -dlq.") String suffix) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Idempotency(@Pattern(Durations.PATTERN) @JsonPropertyDescription("How long a key is remembered, default 24h.") String ttl) {
    }
}
