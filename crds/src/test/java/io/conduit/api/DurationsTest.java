package io.conduit.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest(name = "{0} = {1} ms")
    @CsvSource({
            "0s,        0",
            "500ms,     500",
            "30s,       30000",
            "5m,        300000",
            "24h,       86400000",
            "1m30s,     90000",
            "1h2m3s4ms, 3723004",
    })
    void parsesGoStyleDurations(String text, long millis) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @Test
    void millisecondsAreNotMinutesFollowedByGarbage() {
        // "ms" must be read as one unit, not as "m" then a stray "s".
        assertThat(Durations.parse("90ms")).isEqualTo(Duration.ofMillis(90));
        assertThat(Durations.parse("1m5s")).isEqualTo(Duration.ofSeconds(65));
    }

    @Test
    void rejectsSurroundingWhitespaceAsTheCrdPatternDoes() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> Durations.parse(" 15m ")).withMessageContaining("is not a duration");
    }

    @ParameterizedTest(name = "too long: \"{0}\"")
    @ValueSource(strings = {"9999999999999999h", "99999999999999999999s"})
    void durationsBeyondALongAreAReadableError(String text) {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> Durations.parse(text)).withMessage("'" + text + "' is too long a duration");
    }

    @ParameterizedTest(name = "rejects \"{0}\"")
    @ValueSource(strings = {"30", "s", "1.5s", "-5s", "5 s", "1d", "10us", "PT30S", "30S", "1m 30s"})
    void rejectsMalformedDurationsWithAnExample(String text) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Durations.parse(text))
                .withMessage("'" + text + "' is not a duration (use e.g. 500ms, 30s, 5m, 24h)");
    }

    @ParameterizedTest
    @NullAndEmptySource
    void rejectsMissingDurations(String text) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Durations.parse(text))
                .withMessageContaining("is not a duration");
    }
}
