package io.conduit.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.conduit.testsupport.RedisServer;
import io.conduit.testsupport.TestServers;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code global: true}: two gateway instances sharing a real Redis enforce one limit between them. */
class GlobalRateLimitIT {
    @TempDir
    Path a;
    @TempDir
    Path b;

    static String config(RedisServer redis, String prefix, String gateway, boolean global) {
        return RedisProbe.backendYaml("jobs", redis, "streams", prefix) + """
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: orders}
                spec:
                  when: {http: {method: POST, path: /orders}}
                  send: {queue: {backendRef: {name: jobs}, queue: orders}}
                ---
                apiVersion: conduit.io/v1alpha1
                kind: EdgeGateway
                metadata: {name: %s}
                spec:
                  rateLimits: [{name: orders, key: route, requestsPerSecond: 1, burst: 3, global: %s}]
                """.formatted(gateway, global);
    }

    static int post(GatewayHarness gw) throws Exception {
        return gw.send(HttpRequest.newBuilder(gw.uri("/orders")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build()).statusCode();
    }

    List<Integer> twoReplicasTakeTurns(boolean global) throws Exception {
        RedisServer redis = TestServers.redis();
        String prefix = RedisProbe.uniquePrefix("global-rl");
        // A gateway name of its own per run: bucket keys hold the gateway's name.
        String gateway = "edge-" + prefix.replaceAll("[^a-z0-9]", "").toLowerCase();
        try (GatewayHarness one = GatewayHarness.start(a, config(redis, prefix, gateway, global));
             GatewayHarness two = GatewayHarness.start(b, config(redis, prefix, gateway, global))) {
            assertThat(one.get("/readyz").statusCode()).as(one.adminConfig().toString()).isEqualTo(200);
            assertThat(two.get("/readyz").statusCode()).isEqualTo(200);
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                statuses.add(post(one));
                statuses.add(post(two));
            }
            return statuses;
        }
    }

    @Test
    void aGlobalLimitIsOneBucketForAllReplicas() throws Exception {
        List<Integer> statuses = twoReplicasTakeTurns(true);

        assertThat(statuses.subList(0, 3)).containsOnly(202);
        assertThat(statuses.subList(3, 6)).as("the shared burst of 3 is spent").containsOnly(429);
    }

    @Test
    void aLocalLimitIsABucketPerReplica() throws Exception {
        assertThat(twoReplicasTakeTurns(false)).as("each replica has its own burst of 3").containsOnly(202);
    }
}
