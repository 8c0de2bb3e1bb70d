package io.conduit.gateway.queue.redis;

import io.conduit.gateway.queue.IdempotencyKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.conduit.gateway.errors.GatewayException;
import org.junit.jupiter.api.Test;

class RedisQueueKeysTest {
    @Test
    void bullmqKeysAndStreamAndRecordsLiveUnderPrefixAndQueue() {
        RedisQueueKeys keys = RedisQueueKeys.of("bull", "agents/Worker/inbox");

        assertThat(keys.key("wait")).isEqualTo("bull:agents/Worker/inbox:wait");
        assertThat(keys.job("42")).isEqualTo("bull:agents/Worker/inbox:42");
        assertThat(keys.stream()).isEqualTo("bull:agents/Worker/inbox");
        assertThat(keys.record(IdempotencyKey.client("k-1", "fp"))).isEqualTo("bull:agents/Worker/inbox:conduit:idem:k-1");
        assertThat(keys.record(IdempotencyKey.forRetries(System.currentTimeMillis() + 30_000))).startsWith("bull:agents/Worker/inbox:conduit:once:");
    }

    @Test
    void queueNamesWithColonsOrControlCharactersAreRefused() {
        assertThatThrownBy(() -> RedisQueueKeys.of("bull", "a:b")).isInstanceOf(GatewayException.class);
        assertThatThrownBy(() -> RedisQueueKeys.of("bull", "a\nb")).isInstanceOf(GatewayException.class);
        assertThatThrownBy(() -> RedisQueueKeys.of("bull", "")).isInstanceOf(GatewayException.class);
    }

    @Test
    void streamIdsCompareNumerically() {
        assertThat(StreamsQueueSink.compare("9-0", "10-0")).isNegative();
        assertThat(StreamsQueueSink.compare("10-2", "10-10")).isNegative();
        assertThat(StreamsQueueSink.compare("10-2", "10-2")).isZero();
    }
}
