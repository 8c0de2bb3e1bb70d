package io.conduit.gateway.edge.cors;

import static org.assertj.core.api.Assertions.assertThat;

import io.conduit.config.EdgeConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class CorsPolicyTest {
    private static CorsPolicy policy(String... origins) {
        return new CorsPolicy(new EdgeConfig.Cors(List.of(origins), null, null, null, false, null));
    }

    @Test
    void exactOriginsMatchAsBrowsersSendThem() {
        CorsPolicy cors = policy("https://App.example.com", "http://localhost:3000");

        assertThat(cors.allows("https://app.example.com")).isTrue();
        assertThat(cors.allows("https://app.example.com:443")).as("default port").isTrue();
        assertThat(cors.allows("http://localhost:3000")).isTrue();
        assertThat(cors.allows("http://localhost:3001")).isFalse();
        assertThat(cors.allows("http://app.example.com")).as("other scheme").isFalse();
        assertThat(cors.allows("null")).isFalse();
        assertThat(cors.allows(null)).isFalse();
    }

    @Test
    void aWildcardMatchesSubdomainsButNotTheDomainItselfNorLookalikes() {
        CorsPolicy cors = policy("https://*.example.com");

        assertThat(cors.allows("https://app.example.com")).isTrue();
        assertThat(cors.allows("https://a.b.example.com")).isTrue();
        assertThat(cors.allows("https://example.com")).isFalse();
        assertThat(cors.allows("https://evilexample.com")).isFalse();
        assertThat(cors.allows("https://app.example.com.evil.org")).isFalse();
        assertThat(cors.allows("http://app.example.com")).isFalse();
        assertThat(cors.allows("https://app.example.com:8443")).as("other port").isFalse();
    }

    @Test
    void aStarAllowsAnyOrigin() {
        assertThat(policy("*").allows("https://anything.test")).isTrue();
    }
}
