package io.conduit.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaBrokerTest {

    @Test
    void parsesBootstrapListsByTheirFirstBroker() {
        Endpoint e = KafkaBroker.parseBootstrap("kafka-0.test:9093,kafka-1.test:9093");
        assertThat(e.host()).isEqualTo("kafka-0.test");
        assertThat(e.port()).isEqualTo(9093);
        assertThat(e.uri()).hasToString("kafka://kafka-0.test:9093");
        assertThat(KafkaBroker.parseBootstrap("[::1]:9092").host()).isEqualTo("::1");
    }

    @Test
    void rejectsWhatIsNotABootstrapList() {
        assertThatThrownBy(() -> KafkaBroker.parseBootstrap("kafka://127.0.0.1:9092")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("host:port");
        assertThatThrownBy(() -> KafkaBroker.parseBootstrap("127.0.0.1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KafkaBroker.parseBootstrap("127.0.0.1:ninety")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEnvBrokerThatIsDownIsAFailureNotAFallback() {
        int closed = FreePort.find();
        Resolution<KafkaBroker> r = KafkaBroker.locate(Env.of(Map.of(KafkaBroker.ENV_VAR, "127.0.0.1:" + closed)));
        assertThat(r).isInstanceOf(Resolution.Fail.class);
        assertThat(((Resolution.Fail<KafkaBroker>) r).message()).contains(KafkaBroker.ENV_VAR);
    }

    @Test
    void withoutKafkasJarsTheTestIsSkippedOrUnderCiFailsWithTheRemedy() {
        // This module's own test classpath has no kafka_2.13, as a module that forgot the dependency would.
        assertThat(KafkaBroker.locate(Env.of(Map.of()))).isInstanceOf(Resolution.Skip.class);
        Resolution<KafkaBroker> ci = KafkaBroker.locate(Env.of(Map.of("CI", "true")));
        assertThat(ci).isInstanceOf(Resolution.Fail.class);
        assertThat(((Resolution.Fail<KafkaBroker>) ci).message()).contains("kafka_2.13").contains(KafkaBroker.ENV_VAR);
    }
}
