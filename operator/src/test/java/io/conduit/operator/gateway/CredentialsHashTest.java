package io.conduit.operator.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.conduit.config.ConfigJson;
import io.conduit.config.GatewayCredentials;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pod-template fingerprint of the credentials cannot be checked against guesses without the gateway's key. */
class CredentialsHashTest {
    static final GatewayCredentials CREDENTIALS = new GatewayCredentials(Map.of("queue/shop/jobs", Map.of("password", "hunter2")));

    @Test
    void theFingerprintDependsOnTheKeyAndIsNotThePlainHash() throws Exception {
        String plain = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(ConfigJson.write(CREDENTIALS.entries()).getBytes(StandardCharsets.UTF_8))).substring(0, 16);

        assertThat(CredentialsHash.of(CREDENTIALS, "key-of-edge")).isNotEqualTo(plain)
                .isNotEqualTo(CredentialsHash.of(CREDENTIALS, "key-of-other"))
                .isEqualTo(CredentialsHash.of(CREDENTIALS, "key-of-edge"));
        assertThat(CredentialsHash.of(new GatewayCredentials(Map.of("queue/shop/jobs", Map.of("password", "rotated"))), "key-of-edge"))
                .isNotEqualTo(CredentialsHash.of(CREDENTIALS, "key-of-edge"));
    }
}
