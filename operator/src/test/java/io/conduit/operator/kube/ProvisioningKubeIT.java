package io.conduit.operator.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.conduit.api.v1alpha1.BlobBackend;
import io.conduit.api.v1alpha1.EdgeGateway;
import io.conduit.api.v1alpha1.QueueBackend;
import io.conduit.operator.ConduitOperator;
import io.conduit.operator.OperatorMockServer;
import io.conduit.operator.OperatorSettings;
import io.conduit.operator.Statuses;
import io.conduit.operator.gateway.GatewayNames;
import io.conduit.testsupport.KubeCluster;
import io.conduit.testsupport.RealKubernetes;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Provisioning on a real API server, against a Redis that enforces ACLs (its default user off): the operator makes
 * the gateway's own user from the backend's admin credentials, a real gateway enqueues with it, a real BullMQ worker
 * started from the consumer Secret alone processes the job, the store refuses the gateway's user anything beyond its
 * prefix and commands, a rotation rolls the pods, and deleting the gateway removes its user.
 */
@ExtendWith(RealKubernetes.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProvisioningKubeIT {
    static final String NS = "kube-prov";
    static final String PREFIX = "shop";
    static final String GATEWAY_USER = "conduit:" + NS + "/jobs:gateway:" + NS + "/edge";
    static final String CONSUMER_USER = "conduit:" + NS + "/jobs:consumer:worker";

    static KubeCluster cluster;
    static KubernetesClient admin;
    static OperatorClient operatorClient;
    static Operator operator;
    static Kubelet kubelet;
    static LockedRedis redis;
    @TempDir
    static Path dir;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void start(KubeCluster kube) {
        cluster = kube;
        admin = kube.client();
        redis = new LockedRedis();
        Installed.manifests(cluster);
        Installed.namespace(cluster, NS);
        operatorClient = OperatorClient.as(cluster, Installed.OPERATOR_NAMESPACE, Installed.OPERATOR_ACCOUNT);
        operator = OperatorMockServer.start(admin, operatorClient.client(), OperatorSettings.from(Map.of("CONDUIT_WATCH_NAMESPACES", NS)),
                ConduitOperator.reconcilers().toArray(Reconciler[]::new));
        kubelet = new Kubelet(admin, NS, dir);
    }

    @AfterAll
    static void stop() {
        if (operator != null) {
            operator.stop();
        }
        if (kubelet != null) {
            kubelet.close();
        }
        if (operatorClient != null) {
            operatorClient.client().close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    String resources() {
        return """
                apiVersion: v1
                kind: Secret
                metadata: {name: redis-admin}
                stringData: {username: %s, password: %s}
                ---
                apiVersion: conduit.io/v1alpha1
                kind: QueueBackend
                metadata: {name: jobs}
                spec:
                  type: redis
                  redis:
                    url: %s
                    credentialsSecretRef: {name: redis-admin}
                    prefix: %s
                    provision:
                      aclUsers: true
                      consumers: [{name: worker, secretName: jobs-worker}]
                ---
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: orders}
                spec:
                  when: {http: {method: POST, path: /orders}}
                  send: {queue: {backendRef: {name: jobs}, queue: orders}}
                ---
                apiVersion: conduit.io/v1alpha1
                kind: EdgeGateway
                metadata: {name: edge}
                spec: {replicas: 1}
                ---
                apiVersion: conduit.io/v1alpha1
                kind: BlobBackend
                metadata: {name: files}
                spec:
                  type: s3
                  s3: {bucket: files, endpoint: "http://127.0.0.1:1", provision: {createBucket: true}}
                """.formatted(redis.adminUser, redis.adminPassword, redis.url(), PREFIX);
    }

    static EdgeGateway gateway() {
        return admin.resources(EdgeGateway.class).inNamespace(NS).withName("edge").get();
    }

    static Map<String, String> secret(String name) {
        Secret secret = admin.secrets().inNamespace(NS).withName(name).get();
        Map<String, String> values = new LinkedHashMap<>();
        if (secret != null) {
            secret.getData().forEach((k, v) -> values.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        }
        return values;
    }

    static String gatewayCredentials() {
        return secret(GatewayNames.credentials(gateway())).getOrDefault(GatewayNames.CREDENTIALS_KEY, "");
    }

    static String podTemplateHash() {
        return admin.apps().deployments().inNamespace(NS).withName(GatewayNames.workload(gateway())).get()
                .getSpec().getTemplate().getMetadata().getAnnotations().get("conduit.io/credentials-hash");
    }

    /** Runs the pods of the Deployment's newest ReplicaSet (a credentials change rolls them) and returns one. */
    Kubelet.RunningPod currentPod() {
        // A pod of an older ReplicaSet may be deleted while the kubelet starts it: then try again with what is left.
        java.util.concurrent.atomic.AtomicReference<Kubelet.RunningPod> found = new java.util.concurrent.atomic.AtomicReference<>();
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> {
            kubelet.forgetDeleted();
            Pod newest = newestReplicaSetPod();
            if (newest == null) {
                return false;
            }
            kubelet.runPods(gateway()).stream().filter(p -> p.name().equals(newest.getMetadata().getName())).findFirst()
                    .ifPresent(found::set);
            return found.get() != null;
        });
        return found.get();
    }

    static Pod newestReplicaSetPod() {
        ReplicaSet newest = admin.apps().replicaSets().inNamespace(NS).withLabels(GatewayNames.selector(gateway())).list().getItems()
                .stream().max(Comparator.comparingInt(rs -> Integer.parseInt(
                        rs.getMetadata().getAnnotations().getOrDefault("deployment.kubernetes.io/revision", "0")))).orElse(null);
        if (newest == null) {
            return null;
        }
        return admin.pods().inNamespace(NS).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null && p.getMetadata().getOwnerReferences().stream()
                        .anyMatch(o -> o.getUid().equals(newest.getMetadata().getUid())))
                .findFirst().orElse(null);
    }

    int post(Kubelet.RunningPod pod, String body) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://" + pod.ip() + ":" + pod.port() + "/orders"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    @Test
    @Order(1)
    void theGatewayEnqueuesAsItsOwnUserAndAWorkerProcessesWithTheConsumerSecret() throws Exception {
        cluster.kubectlWithInput(resources(), "apply", "-n", NS, "-f", "-").orThrow();
        await().atMost(Duration.ofSeconds(60)).until(() -> Statuses.of(admin, QueueBackend.class, NS, "jobs", "CredentialsReady"),
                s -> s.equals("True/Provisioned"));
        assertThat(Statuses.condition(admin, QueueBackend.class, NS, "jobs", "CredentialsReady").orElseThrow().getMessage())
                .contains("gateways [edge]").contains("consumers [worker]");
        // The gateway's credentials are its own user's, never the admin's.
        await().atMost(Duration.ofSeconds(60)).until(() -> gatewayCredentials().contains(GATEWAY_USER));
        assertThat(gatewayCredentials()).doesNotContain(redis.adminPassword);
        assertThat(redis.admin().aclUsers()).contains(GATEWAY_USER, CONSUMER_USER);

        Kubelet.RunningPod pod = currentPod();
        await().atMost(Duration.ofSeconds(60)).until(() -> post(pod, "{\"sku\":\"first\"}") == 202);

        Map<String, String> worker = secret("jobs-worker");
        assertThat(worker).containsKeys("REDIS_URL", "REDIS_HOST", "REDIS_PORT", "REDIS_USERNAME", "REDIS_PASSWORD", "QUEUE_PREFIX")
                .containsEntry("REDIS_USERNAME", CONSUMER_USER).containsEntry("QUEUE_PREFIX", PREFIX);
        try (NodeBullmqWorker node = NodeBullmqWorker.start(worker, dir.resolve("worker.log"))) {
            node.work(worker.get("QUEUE_PREFIX"), "orders");
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> node.output().contains("\"event\":\"completed\""));
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("the worker did not complete the job; it said:\n" + node.output()
                        + "\nRedis ACL LOG: " + redis.admin().aclLog(5), e);
            }
            assertThat(node.output()).contains("\"sku\":\"first\"").doesNotContain("NOPERM");
        }
    }

    @Test
    @Order(2)
    void theGatewaysUserIsRefusedOutsideItsPrefixAndOnAdminCommands() {
        Map<String, String> own = secret("jobs." + NS + ".edge.redis-acl");
        assertThat(own).containsEntry("username", GATEWAY_USER);
        try (RedisClient client = RedisClient.create(redis.login(own.get("username"), own.get("password")));
             StatefulRedisConnection<String, String> c = client.connect()) {
            assertThat(c.sync().get(PREFIX + ":orders:id")).isNotNull();
            assertThatThrownBy(() -> c.sync().set("elsewhere:key", "x")).hasMessageContaining("NOPERM");
            assertThatThrownBy(() -> c.sync().get("elsewhere:key")).hasMessageContaining("NOPERM");
            assertThatThrownBy(() -> c.sync().flushall()).hasMessageContaining("NOPERM");
            assertThatThrownBy(() -> c.sync().configGet("*")).hasMessageContaining("NOPERM");
            assertThatThrownBy(() -> c.sync().keys("*")).hasMessageContaining("NOPERM");
            // A script is held to the same rules: EVAL cannot reach outside the prefix either.
            assertThatThrownBy(() -> c.sync().eval("return redis.call('SET', KEYS[1], 'x')", io.lettuce.core.ScriptOutputType.STATUS,
                    "elsewhere:key")).hasMessageContaining("NOPERM");
        }
    }

    @Test
    @Order(3)
    void aRotationMakesANewPasswordAndRollsThePodsWithTheOldOneStillAcceptedMeanwhile() {
        String before = secret("jobs." + NS + ".edge.redis-acl").get("password");
        String hash = podTemplateHash();
        cluster.kubectl("annotate", "-n", NS, "edgegateway/edge", "conduit.io/rotate-credentials=1").orThrow();
        await().atMost(Duration.ofSeconds(60)).until(() -> !before.equals(secret("jobs." + NS + ".edge.redis-acl").get("password")));
        String after = secret("jobs." + NS + ".edge.redis-acl").get("password");
        await().atMost(Duration.ofSeconds(60)).until(() -> !hash.equals(podTemplateHash()));
        for (String password : List.of(before, after)) {
            try (RedisClient client = RedisClient.create(redis.login(GATEWAY_USER, password));
                 StatefulRedisConnection<String, String> c = client.connect()) {
                assertThat(c.sync().ping()).isEqualTo("PONG");
            }
        }
        Kubelet.RunningPod rolled = currentPod();
        await().atMost(Duration.ofSeconds(60)).until(() -> post(rolled, "{\"sku\":\"after-rotation\"}") == 202);
    }

    @Test
    @Order(4)
    void aDeclaredButUnbuiltProvisioningStepIsRefusedWithACondition() {
        await().atMost(Duration.ofSeconds(60)).until(() -> Statuses.of(admin, BlobBackend.class, NS, "files", "ProvisioningSupported"),
                s -> s.equals("False/NotImplemented"));
        assertThat(Statuses.condition(admin, BlobBackend.class, NS, "files", "ProvisioningSupported").orElseThrow().getMessage())
                .contains("s3.provision.createBucket");
    }

    @Test
    @Order(5)
    void deletingTheGatewayRemovesItsUser() {
        cluster.kubectl("delete", "-n", NS, "edgegateway/edge", "--wait=false").orThrow();
        await().atMost(Duration.ofSeconds(60)).until(() -> !redis.admin().aclUsers().contains(GATEWAY_USER));
        assertThat(redis.admin().aclUsers()).contains(CONSUMER_USER);
        // The gateway owned its Secret: the garbage collector takes it along.
        await().atMost(Duration.ofSeconds(90)).until(() -> admin.secrets().inNamespace(NS).withName("jobs." + NS + ".edge.redis-acl").get() == null);
        kubelet.forgetDeleted();
        assertThat(operatorClient.forbidden()).as("requests the chart's role refused").isEmpty();
    }
}
