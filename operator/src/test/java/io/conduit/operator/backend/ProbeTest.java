package io.conduit.operator.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProbeTest {
    @Test
    void messagesNeverCarryCredentialValuesOrUrlUserinfo() {
        assertThat(Probe.redact("cannot connect to redis://user:hunter22@host:6379 with hunter22", List.of("hunter22")))
                .isEqualTo("cannot connect to redis://***@host:6379 with ***");
    }

    @Test
    void retriesBackOffExponentiallyUpToFiveMinutes() {
        assertThat(BackendReadiness.backoff(1)).isEqualTo(Duration.ofSeconds(5));
        assertThat(BackendReadiness.backoff(2)).isEqualTo(Duration.ofSeconds(10));
        assertThat(BackendReadiness.backoff(4)).isEqualTo(Duration.ofSeconds(40));
        assertThat(BackendReadiness.backoff(30)).isEqualTo(Duration.ofMinutes(5));
    }
}
