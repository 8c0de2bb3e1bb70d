package io.conduit.testsupport;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

class NeedsTest {
    @Test
    void anUnmetNeedSkipsLocallyAndFailsUnderCi() {
        assertThatThrownBy(() -> Needs.require(false, "a Redis this JVM can stop", "unset X", Env.of(Map.of())))
                .isInstanceOf(TestAbortedException.class).hasMessageContaining("a Redis this JVM can stop").hasMessageContaining("unset X");
        assertThatThrownBy(() -> Needs.require(false, "a Redis this JVM can stop", "unset X", Env.of(Map.of("CI", "true"))))
                .isInstanceOf(ServerUnavailableException.class).hasMessageContaining("CI=true");
        assertThatCode(() -> Needs.require(true, "anything", "nothing", Env.of(Map.of("CI", "true")))).doesNotThrowAnyException();
    }
}
