package io.conduit.gateway.edge.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TokensTest {
    private final Tokens tokens = Tokens.of(Map.of("acme", "tok-acme", "globex", "old-token\n  new-token  \n\n"));

    @Test
    void aTokenNamesItsTenantAndEveryLineOfAValueIsAToken() {
        assertThat(tokens.size()).isEqualTo(3);
        assertThat(tokens.identify("tok-acme")).map(Caller::tenant).hasValue("acme");
        assertThat(tokens.identify("old-token")).map(Caller::tenant).hasValue("globex");
        assertThat(tokens.identify("new-token")).map(Caller::tenant).hasValue("globex");
    }

    @Test
    void nearMissesAreNotTokens() {
        assertThat(tokens.identify("tok-acm")).isEmpty();
        assertThat(tokens.identify("tok-acme ")).isEmpty();
        assertThat(tokens.identify("")).isEmpty();
    }

    @Test
    void theTokenIdIsADigestNeverTheTokenAndCallersPrintNoToken() {
        Caller caller = tokens.identify("tok-acme").orElseThrow();
        assertThat(caller.tokenId()).hasSize(16).doesNotContain("tok");
        assertThat(caller.toString()).isEqualTo("tenant acme");
        assertThat(tokens.identify("old-token").orElseThrow().tokenId())
                .isNotEqualTo(tokens.identify("new-token").orElseThrow().tokenId());
    }
}
