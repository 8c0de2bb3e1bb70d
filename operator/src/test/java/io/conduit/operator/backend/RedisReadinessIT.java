package io.conduit.operator.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conduit.api.v1alpha1.QueueBackend;
import io.conduit.operator.OperatorMockServer;
import io.conduit.operator.Statuses;
import io.conduit.testsupport.RedisServer;
import io.conduit.testsupport.TestServers;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Redis check against the real Redis of the test-support module: PING, and AUTH with an ACL user. */
@EnableKubernetesMockClient(crud = true)
class RedisReadinessIT {
    static final String USER = "conduit-check-it";
    static final String PASSWORD = "it-password-1234";
    static KubernetesClient client;
    static RedisServer redis;

    @BeforeAll
    static void aclUser() {
        redis = TestServers.redis();
        RedisClient admin = RedisClient.create(redis.uri().toString());
        try (StatefulRedisConnection<String, String> c = admin.connect()) {
            c.sync().aclSetuser(USER, io.lettuce.core.AclSetuserArgs.Builder.on().addPassword(PASSWORD).allKeys().allCommands());
        } finally {
            admin.shutdown();
        }
    }

    @AfterAll
    static void dropUser() {
        RedisClient admin = RedisClient.create(redis.uri().toString());
        try (StatefulRedisConnection<String, String> c = admin.connect()) {
            c.sync().aclDeluser(USER);
        } finally {
            admin.shutdown();
        }
    }

    @Test
    void pingSucceedsOnTheRealRedis() {
        Probe probe = RedisCheck.check(redis.uri().toString(), false, Map.of());
        assertThat(probe.ok()).as(probe.message()).isTrue();
        assertThat(probe.message()).contains("PONG");
    }

    @Test
    void authWithTheSecretsUserAndPasswordSucceeds() {
        Probe probe = RedisCheck.check(redis.uri().toString(), false, Map.of("username", USER, "password", PASSWORD));
        assertThat(probe.ok()).as(probe.message()).isTrue();
    }

    @Test
    void aWrongPasswordIsAnAuthenticationFailureThatDoesNotRepeatThePassword() {
        Probe probe = RedisCheck.check(redis.uri().toString(), false, Map.of("username", USER, "password", "wrong-password-999"));
        assertThat(probe.ok()).isFalse();
        assertThat(probe.reason()).as(probe.message()).isEqualTo("AuthenticationFailed");
        assertThat(probe.message()).doesNotContain("wrong-password-999");
    }

    @Test
    void theOperatorReportsARealRedisBackendReadyWithItsCredentialsSecret() {
        Operator operator = OperatorMockServer.start(client, new QueueBackendReconciler());
        try {
            // Labelled conduit.io/watched=true: the operator watches it (unlabelled, it would only read it by name).
            OperatorMockServer.apply(client, "jobs", """
                    apiVersion: v1
                    kind: Secret
                    metadata: {name: redis-creds, namespace: jobs, labels: {conduit.io/watched: "true"}}
                    stringData: {username: %s, password: %s}
                    ---
                    apiVersion: conduit.io/v1alpha1
                    kind: QueueBackend
                    metadata: {name: redis, namespace: jobs}
                    spec: {type: redis, redis: {url: "%s", credentialsSecretRef: {name: redis-creds}}}
                    """.formatted(USER, PASSWORD, redis.uri()));
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    Statuses.of(client, QueueBackend.class, "jobs", "redis", "Ready").equals("True/Connected"));

            // Rotating to a wrong password shows at once (the Secret is labelled, so watched), not at the next periodic check.
            OperatorMockServer.apply(client, "jobs", """
                    apiVersion: v1
                    kind: Secret
                    metadata: {name: redis-creds, namespace: jobs, labels: {conduit.io/watched: "true"}}
                    stringData: {username: %s, password: not-the-password}
                    """.formatted(USER));
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    Statuses.of(client, QueueBackend.class, "jobs", "redis", "Ready").equals("False/AuthenticationFailed"));
        } finally {
            operator.stop();
        }
    }
}
