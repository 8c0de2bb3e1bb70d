package io.conduit.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.conduit.testsupport.RedisServer;
import io.conduit.testsupport.TestServers;
import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.KillArgs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A rotated Redis password in the Secret takes effect on reload, though the backend's settings did not change. */
class RedisCredentialsReloadIT {
    @TempDir
    Path root;

    static String secret(String user, String password) {
        return """
                apiVersion: v1
                kind: Secret
                metadata: {name: redis-user}
                stringData: {username: "%s", password: "%s"}
                ---
                """.formatted(user, password);
    }

    @Test
    void aRotatedPasswordIsUsedAfterReload() throws Exception {
        RedisServer redis = TestServers.redis();
        String prefix = RedisProbe.uniquePrefix("rotate-it");
        String user = prefix + "-user";
        String rules = RedisProbe.backendYaml("jobs", redis, "bullmq", prefix, "credentialsSecretRef: {name: redis-user}", "")
                + """
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: jobs}
                spec:
                  when: {http: {method: POST, path: /jobs}}
                  send:
                    queue: {backendRef: {name: jobs}, queue: rotated}
                """;
        try (RedisProbe probe = new RedisProbe(redis)) {
            probe.sync().aclSetuser(user, AclSetuserArgs.Builder.on().addPassword("first-pw").keyPattern(prefix + "*").allCommands());
            try (GatewayHarness gw = GatewayHarness.start(root, secret(user, "first-pw") + rules)) {
                assertThat(gw.post("/jobs", "application/json", "{}".getBytes()).statusCode()).isEqualTo(202);

                // Rotate: only the new password works from now on, and the gateway's connection must log in again.
                probe.sync().aclSetuser(user, AclSetuserArgs.Builder.resetpass().addPassword("second-pw"));
                probe.sync().clientKill(KillArgs.Builder.user(user));
                String before = gw.adminConfig().get("revision").asText();
                Files.writeString(gw.configDir.resolve("rules.yaml"), secret(user, "second-pw") + rules);

                assertThat(GatewayHarness.eventually(Duration.ofSeconds(15),
                        () -> !gw.adminConfig().get("revision").asText().equals(before))).isTrue();
                assertThat(GatewayHarness.eventually(Duration.ofSeconds(10),
                        () -> gw.post("/jobs", "application/json", "{}".getBytes()).statusCode() == 202)).isTrue();
                assertThat(probe.sync().llen(prefix + ":rotated:wait")).isGreaterThanOrEqualTo(2);
            } finally {
                probe.sync().aclDeluser(user);
            }
        }
    }
}
