package io.conduit.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conduit.api.v1alpha1.BlobBackend;
import io.conduit.api.v1alpha1.EdgeGateway;
import io.conduit.api.v1alpha1.QueueBackend;
import io.conduit.api.v1alpha1.RouteRule;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The ClusterRole in {@code manifests/} against the API calls the operator really makes: every
 * reconciler runs through a scenario touching all its paths (backends, rules good and bad, a gateway
 * with a ready pod, status writes, Events, deletion), every request the operator sends to the mock API
 * server is turned into the (group, resource, verb) RBAC would check, and the role must grant exactly
 * those: each one, and nothing the operator does not use.
 */
@EnableKubernetesMockClient(crud = true)
class RbacMockTest {
    static final String NS = "rbac";
    static KubernetesClient client;
    static KubernetesMockServer server;

    /** group, resource (with subresource), verb: what RBAC authorizes. */
    record Call(String group, String resource, String verb) implements Comparable<Call> {
        @Override
        public int compareTo(Call o) {
            return toString().compareTo(o.toString());
        }

        @Override
        public String toString() {
            return verb + " " + (group.isEmpty() ? "core" : group) + "/" + resource;
        }
    }

    private static final Pattern PATH = Pattern.compile(
            "^/(?:api/v1|apis/(?<group>[^/]+)/[^/]+)(?:/namespaces/[^/]+)?/(?<resource>[^/?]+)(?:/(?<name>[^/?]+))?(?:/(?<sub>[^/?]+))?(?:\\?(?<query>.*))?$");

    static Call call(RecordedRequest request) {
        Matcher m = PATH.matcher(request.getPath());
        assertThat(m.matches()).as("an API path: %s", request.getPath()).isTrue();
        String group = m.group("group") == null ? "" : m.group("group");
        String resource = m.group("resource") + (m.group("sub") == null ? "" : "/" + m.group("sub"));
        boolean named = m.group("name") != null;
        String query = m.group("query") == null ? "" : m.group("query");
        String verb = switch (request.getMethod()) {
            case "GET" -> named ? "get" : query.contains("watch=true") ? "watch" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> named ? "delete" : "deletecollection";
            default -> request.getMethod();
        };
        return new Call(group, resource, verb);
    }

    /** Every (group, resource, verb) the role grants. */
    static Set<Call> granted(ClusterRole role) {
        Set<Call> granted = new TreeSet<>();
        for (PolicyRule rule : role.getRules()) {
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    for (String verb : rule.getVerbs()) {
                        granted.add(new Call(group, resource, verb));
                    }
                }
            }
        }
        return granted;
    }

    @Test
    void theRoleGrantsExactlyTheCallsTheOperatorMakes() throws Exception {
        ClusterRole role = (ClusterRole) ManifestsTest.load("operator-rbac.yaml").stream()
                .filter(r -> r instanceof ClusterRole).findFirst().orElseThrow();
        KubernetesClient operatorClient = OperatorMockServer.operatorClient(client);
        Operator operator = OperatorMockServer.start(client, operatorClient, ConduitOperator.reconcilers().toArray(Reconciler[]::new));
        try {
            // The S3 endpoint is a free port nobody listens on: the readiness check fails, which is a path too.
            OperatorMockServer.apply(client, NS, """
                    apiVersion: v1
                    kind: Secret
                    metadata: {name: s3-creds, namespace: rbac, labels: {conduit.io/watched: "true"}}
                    stringData: {accessKeyId: AKIA1, secretAccessKey: secret-1}
                    ---
                    apiVersion: conduit.io/v1alpha1
                    kind: BlobBackend
                    metadata: {name: files, namespace: rbac}
                    spec: {type: s3, s3: {bucket: b, endpoint: "http://127.0.0.1:%d", credentialsSecretRef: {name: s3-creds}}}
                    ---
                    apiVersion: conduit.io/v1alpha1
                    kind: QueueBackend
                    metadata: {name: work, namespace: rbac}
                    spec: {type: spool, spool: {path: /data/q}}
                    ---
                    apiVersion: conduit.io/v1alpha1
                    kind: RouteRule
                    metadata: {name: good, namespace: rbac}
                    spec: {when: {http: {path: /w}}, send: {queue: {backendRef: {name: work}, queue: q}}}
                    ---
                    apiVersion: conduit.io/v1alpha1
                    kind: RouteRule
                    metadata: {name: uploads, namespace: rbac}
                    spec: {when: {http: {path: /u}}, send: {blob: {backendRef: {name: files}}}}
                    ---
                    apiVersion: conduit.io/v1alpha1
                    kind: RouteRule
                    metadata: {name: bad, namespace: rbac}
                    spec: {when: {http: {path: /b}}, send: {blob: {backendRef: {name: files}}, queue: {queue: q}}}
                    ---
                    apiVersion: conduit.io/v1alpha1
                    kind: EdgeGateway
                    metadata: {name: edge, namespace: rbac}
                    spec: {replicas: 2}
                    """.formatted(io.conduit.testsupport.FreePort.find()));
            await().atMost(Duration.ofSeconds(30)).until(() -> client.apps().deployments().inNamespace(NS).withName("edge-gateway").get() != null);
            // A ready pod of the gateway nobody listens for (on a free port): the push fails, which is a path too
            // (PushFailed event, retries).
            io.conduit.operator.gateway.GatewayPods.ready(client, NS, "edge", "edge-gateway-0", io.conduit.testsupport.FreePort.find());
            await("bad rule rejected").atMost(Duration.ofSeconds(30))
                    .until(() -> Statuses.of(client, RouteRule.class, NS, "bad", "Accepted").equals("False/Invalid"));
            await("blob backend checked").atMost(Duration.ofSeconds(30))
                    .until(() -> Statuses.of(client, BlobBackend.class, NS, "files", "Ready").startsWith("False/"));
            await("push failure reported").atMost(Duration.ofSeconds(30)).until(() -> client.v1().events().inNamespace(NS)
                    .list().getItems().stream().anyMatch(e -> e.getReason().equals("PushFailed")));
            // Rotated credentials rewrite the gateway's credentials Secret.
            String credentials = client.secrets().inNamespace(NS).withName("edge-credentials").get().getData().toString();
            OperatorMockServer.apply(client, NS, """
                    apiVersion: v1
                    kind: Secret
                    metadata: {name: s3-creds, namespace: rbac, labels: {conduit.io/watched: "true"}}
                    stringData: {accessKeyId: AKIA1, secretAccessKey: secret-2}
                    """);
            await("credentials rewritten").atMost(Duration.ofSeconds(30)).until(() -> !credentials.equals(
                    client.secrets().inNamespace(NS).withName("edge-credentials").get().getData().toString()));
            // Owned objects someone else edited are put back.
            client.services().inNamespace(NS).withName("edge-gateway").edit(s -> {
                s.getSpec().getPorts().get(0).setPort(1234);
                return s;
            });
            client.network().v1().networkPolicies().inNamespace(NS).withName("edge-gateway").edit(n -> {
                n.getSpec().setIngress(java.util.List.of());
                return n;
            });
            client.policy().v1().podDisruptionBudget().inNamespace(NS).withName("edge-gateway").edit(b -> {
                b.getSpec().setMaxUnavailable(new io.fabric8.kubernetes.api.model.IntOrString(2));
                return b;
            });
            await("owned objects restored").atMost(Duration.ofSeconds(30)).until(() ->
                    client.services().inNamespace(NS).withName("edge-gateway").get().getSpec().getPorts().get(0).getPort() != 1234
                            && !client.network().v1().networkPolicies().inNamespace(NS).withName("edge-gateway").get().getSpec().getIngress().isEmpty()
                            && client.policy().v1().podDisruptionBudget().inNamespace(NS).withName("edge-gateway").get().getSpec()
                            .getMaxUnavailable().getIntVal() == 1);
            // Scale down (the disruption budget goes), then delete a backend.
            OperatorMockServer.apply(client, NS, """
                    apiVersion: conduit.io/v1alpha1
                    kind: EdgeGateway
                    metadata: {name: edge, namespace: rbac}
                    spec: {replicas: 1}
                    """);
            client.resources(QueueBackend.class).inNamespace(NS).withName("work").delete();
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    client.policy().v1().podDisruptionBudget().inNamespace(NS).withName("edge-gateway").get() == null
                            && Statuses.of(client, RouteRule.class, NS, "good", "ResolvedRefs").equals("False/BackendNotFound"));
        } finally {
            operator.stop();
            operatorClient.close();
        }

        Set<Call> calls = new TreeSet<>();
        RecordedRequest request;
        while ((request = server.takeRequest(100, TimeUnit.MILLISECONDS)) != null) {
            if (OperatorMockServer.OPERATOR_AGENT.equals(request.getHeader("User-Agent"))) {
                calls.add(call(request));
            }
        }
        System.out.println("API calls the operator made:\n  " + String.join("\n  ", calls.stream().map(Call::toString).toList()));
        assertThat(calls).as("the scenario exercised the operator").hasSizeGreaterThan(20);
        assertThat(calls).contains(new Call("conduit.io", "routerules/status", "patch"), new Call("", "events", "create"));
        assertThat(role.getRules()).noneMatch(r -> r.getVerbs().contains("*") || r.getResources().contains("*"));
        // Least privilege, per (group, resource, verb): the role grants exactly what the operator uses.
        Set<Call> granted = granted(role);
        assertThat(calls).filteredOn(c -> !granted.contains(c)).as("calls the ClusterRole does not grant").isEmpty();
        assertThat(granted).filteredOn(c -> !calls.contains(c)).as("grants the operator never uses").isEmpty();
    }
}
