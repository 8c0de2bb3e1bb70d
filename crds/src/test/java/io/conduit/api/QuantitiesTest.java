package io.conduit.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class QuantitiesTest {

    @ParameterizedTest(name = "{0} = {1} bytes")
    @CsvSource({
            "0,          0",
            "1048576,    1048576",
            "16Ki,       16384",
            "100Mi,      104857600",
            "1Gi,        1073741824",
            "2Ti,        2199023255552",
            "5k,         5000",
            "5K,         5000",
            "5M,         5000000",
            "3G,         3000000000",
            "1T,         1000000000000",
    })
    void parsesBinaryAndDecimalSuffixes(String text, long bytes) {
        assertThat(Quantities.parseBytes(text)).isEqualTo(bytes);
    }

    @Test
    void rejectsSurroundingWhitespaceAsTheCrdPatternDoes() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> Quantities.parseBytes(" 8Mi ")).withMessageContaining("is not a size");
    }

    @ParameterizedTest(name = "too large: \"{0}\"")
    @ValueSource(strings = {"99999999Ti", "99999999999999999999"})
    void sizesBeyondALongAreAReadableError(String text) {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> Quantities.parseBytes(text)).withMessage("'" + text + "' is too large a size");
    }

    @ParameterizedTest(name = "rejects \"{0}\"")
    @ValueSource(strings = {"Mi", "-1", "1.5Gi", "10 Mi", "10mi", "10MB", "10Pi", "1e6", "0x10", "Gi10"})
    void rejectsMalformedSizesWithAnExample(String text) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Quantities.parseBytes(text))
                .withMessage("'" + text + "' is not a size (use e.g. 512Ki, 100Mi, 1Gi)");
    }

    @ParameterizedTest
    @NullAndEmptySource
    void rejectsMissingSizes(String text) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Quantities.parseBytes(text))
                .withMessageContaining("is not a size");
    }

    @Test
    void patternIsTheOneTheCrdSchemaUses() {
        assertThat("100Mi").matches(Quantities.PATTERN);
        assertThat("100MB").doesNotMatch(Quantities.PATTERN);
    }
}
