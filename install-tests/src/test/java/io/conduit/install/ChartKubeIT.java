package io.conduit.install;

import static org.assertj.core.api.Assertions.assertThat;

import io.conduit.testsupport.KubeCluster;
import io.conduit.testsupport.KubeCluster.KubectlResult;
import io.conduit.testsupport.RealKubernetes;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code helm template} of the chart, for each group of values docs/install.md documents, is accepted by a real
 * API server in a server-side dry run: the Deployment, RBAC, ServiceAccount and CRD objects are valid as
 * Kubernetes itself judges them, not only as our tests read them. (The PodMonitor, rendered only where
 * Prometheus Operator's API exists, is left to HelmChartTest: this cluster has no such API.)
 */
@ExtendWith(RealKubernetes.class)
class ChartKubeIT {
    static KubeCluster cluster;

    @BeforeAll
    static void namespaces(KubeCluster kube) {
        cluster = kube;
        for (String ns : List.of(Chart.NAMESPACE, "shop", "issues")) {
            kube.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                    .createOr(r -> r.update());
        }
    }

    static Stream<Arguments> valueSets() {
        return Stream.of(
                Arguments.of("defaults", Map.of()),
                Arguments.of("images and pull secrets", Map.of(
                        "image", Map.of("repository", "registry.example.com/conduit/operator", "tag", "1.2.3", "pullPolicy", "Always"),
                        "gateway", Map.of("image", Map.of("repository", "registry.example.com/conduit/gateway", "tag", "1.2.4")),
                        "imagePullSecrets", List.of(Map.of("name", "regcred")))),
                Arguments.of("resources, scheduling, pod metadata", Map.of(
                        "resources", Map.of("requests", Map.of("cpu", "250m", "memory", "300Mi"), "limits", Map.of("memory", "1Gi")),
                        "nodeSelector", Map.of("kubernetes.io/os", "linux"),
                        "tolerations", List.of(Map.of("key", "dedicated", "operator", "Equal", "value", "infra", "effect", "NoSchedule")),
                        "podLabels", Map.of("team", "platform"),
                        "podAnnotations", Map.of("example.com/owner", "platform"))),
                Arguments.of("security contexts", Map.of(
                        "podSecurityContext", Map.of("runAsNonRoot", true, "runAsUser", 2000, "fsGroup", 2000),
                        "securityContext", Map.of("allowPrivilegeEscalation", false, "readOnlyRootFilesystem", true))),
                Arguments.of("watchNamespaces", Map.of("watchNamespaces", List.of("shop", "issues"))),
                Arguments.of("logging", Map.of("logging", Map.of("format", "json", "level", "DEBUG"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valueSets")
    void theRenderedChartPassesAServerSideDryRun(String name, Map<String, ?> values) {
        String rendered = Chart.render(values).text();
        KubectlResult result = cluster.kubectlWithInput(rendered, "apply", "--dry-run=server", "-f", "-"); // each object in its own namespace
        assertThat(result.ok()).as(name + ": " + result.stderr()).isTrue();
        assertThat(result.stdout()).containsPattern("deployment.apps/conduit-operator \\w+ \\(server dry run\\)")
                .doesNotContain("Error");
    }
}
