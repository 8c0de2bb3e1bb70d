package io.conduit.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvTest {

    @Test
    void ciIsTrueOnlyForTrueOrOne() {
        assertThat(Env.of(Map.of("CI", "true")).ci()).isTrue();
        assertThat(Env.of(Map.of("CI", "TRUE")).ci()).isTrue();
        assertThat(Env.of(Map.of("CI", "1")).ci()).isTrue();
        assertThat(Env.of(Map.of("CI", "false")).ci()).isFalse();
        assertThat(Env.of(Map.of()).ci()).isFalse();
    }

    @Test
    void blankCountsAsUnset() {
        Env env = Env.of(Map.of("A", "  ", "B", "x"));
        assertThat(env.get("A")).isNull();
        assertThat(env.get("B")).isEqualTo("x");
        assertThat(env.get("C")).isNull();
    }
}
