package io.conduit.operator.provision;

import static org.assertj.core.api.Assertions.assertThat;

import io.conduit.api.v1alpha1.QueueBackendSpec.RedisMode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules the provisioned users get; the store's own verdict on them is ProvisioningKubeIT's. */
class RedisAclRulesTest {
    @Test
    void theGatewayGetsItsPrefixAndItsRateLimitKeysOnlyWhenItHasGlobalLimits() {
        List<String> plain = RedisAclRules.gateway(RedisMode.BULLMQ, "shop", "ns/edge", false);
        List<String> limited = RedisAclRules.gateway(RedisMode.BULLMQ, "shop", "ns/edge", true);

        assertThat(plain.stream().filter(r -> r.startsWith("~"))).containsExactly("~shop:*");
        assertThat(limited.stream().filter(r -> r.startsWith("~"))).containsExactly("~shop:*", "~conduit:ratelimit:ns/edge:*");
        assertThat(limited).contains("+pexpire", "+time");
        assertThat(plain).doesNotContain("+pexpire", "+time");
    }

    @Test
    void everyUserStartsFromNothingAndIsGrantedNoAdminCommand() {
        for (List<String> rules : List.of(RedisAclRules.gateway(RedisMode.BULLMQ, "p", "n/g", true),
                RedisAclRules.gateway(RedisMode.STREAMS, "p", "n/g", false),
                RedisAclRules.consumer(RedisMode.BULLMQ, "p"), RedisAclRules.consumer(RedisMode.STREAMS, "p"))) {
            assertThat(rules).startsWith("resetkeys", "resetchannels").contains("-@all")
                    .doesNotContain("+@all", "+flushall", "+flushdb", "+config", "+keys", "+@admin", "+@dangerous", "allkeys", "~*");
        }
        assertThat(RedisAclRules.consumer(RedisMode.BULLMQ, "p")).contains("-@dangerous");
    }

    @Test
    void streamsUsersGetStreamCommandsAndNoBullmqLists() {
        assertThat(RedisAclRules.gateway(RedisMode.STREAMS, "p", "n/g", false)).contains("+xadd").doesNotContain("+lpush", "+zadd");
        assertThat(RedisAclRules.consumer(RedisMode.STREAMS, "p")).contains("+xreadgroup", "+xack").doesNotContain("+xadd", "+@write");
    }

    @Test
    void aPrefixWithGlobCharactersMatchesOnlyItself() {
        assertThat(RedisAclRules.gateway(RedisMode.BULLMQ, "a*b[1]", "n/g", false)).contains("~a\\*b\\[1\\]:*");
    }
}
