package io.conduit.gateway.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.conduit.config.ConfigJson;
import org.junit.jupiter.api.Test;

class BodyFingerprintTest {
    static String of(String json) throws Exception {
        return BodyFingerprint.of(ConfigJson.MAPPER.readTree(json));
    }

    @Test
    void keyOrderAndWhitespaceDoNotChangeIt() throws Exception {
        assertThat(of("{\"a\": 1, \"b\": {\"y\": [1, {\"q\": 1, \"p\": 2}], \"x\": null}}"))
                .isEqualTo(of("{\"b\":{\"x\":null,\"y\":[1,{\"p\":2,\"q\":1}]},\"a\":1}"));
    }

    @Test
    void anyChangeOfValueOrArrayOrderDoes() throws Exception {
        assertThat(of("{\"a\": 1}")).isNotEqualTo(of("{\"a\": 2}"));
        assertThat(of("[1, 2]")).isNotEqualTo(of("[2, 1]"));
        assertThat(of("{\"a\": \"1\"}")).isNotEqualTo(of("{\"a\": 1}"));
    }

    @Test
    void noBodyHasAFingerprintToo() {
        assertThat(BodyFingerprint.of(null)).hasSize(64);
    }
}
