package io.conduit.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.conduit.operator.gateway.EdgeGatewayReconciler;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import java.lang.reflect.ParameterizedType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The plain manifests parse, and the operator's role grants what its reconcilers manage. */
class ManifestsTest {
    static final Path MANIFESTS = Path.of("..", "manifests");

    static List<HasMetadata> load(String file) throws Exception {
        List<HasMetadata> out = new ArrayList<>();
        String yaml = Files.readString(MANIFESTS.resolve(file));
        for (String doc : yaml.split("(?m)^---$")) {
            if (!doc.replaceAll("(?m)^#.*$", "").isBlank()) {
                out.add(Serialization.unmarshal(doc));
            }
        }
        return out;
    }

    static boolean grants(ClusterRole role, String group, String plural, String... verbs) {
        for (PolicyRule rule : role.getRules()) {
            if (rule.getApiGroups().contains(group) && rule.getResources().contains(plural)
                    && rule.getVerbs().containsAll(List.of(verbs))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void theRoleLetsTheOperatorManageEveryDependentOfTheEdgeGateway() throws Exception {
        ClusterRole role = (ClusterRole) load("operator-rbac.yaml").stream().filter(r -> r instanceof ClusterRole)
                .findFirst().orElseThrow();
        Workflow workflow = EdgeGatewayReconciler.class.getAnnotation(Workflow.class);
        for (Dependent dependent : workflow.dependents()) {
            Class<?> type = (Class<?>) ((ParameterizedType) dependent.type().getGenericSuperclass()).getActualTypeArguments()[0];
            @SuppressWarnings("unchecked")
            Class<? extends HasMetadata> kind = (Class<? extends HasMetadata>) type;
            // The least every dependent needs; that the verbs are exactly those the operator uses is RbacMockTest's.
            assertThat(grants(role, HasMetadata.getGroup(kind), HasMetadata.getPlural(kind), "list", "watch", "create"))
                    .as("role manages %s of %s", HasMetadata.getPlural(kind), dependent.type().getSimpleName()).isTrue();
        }
        assertThat(grants(role, "", HasMetadata.getPlural(Pod.class), "list", "watch")).as("watches pods").isTrue();
        assertThat(grants(role, "apps", "replicasets", "list", "watch")).as("watches the pods' ReplicaSets").isTrue();
        for (String kind : List.of("blobbackends", "queuebackends", "routerules", "edgegateways")) {
            assertThat(grants(role, "conduit.io", kind, "list", "watch")).isTrue();
            assertThat(grants(role, "conduit.io", kind + "/status", "patch")).isTrue();
        }
        assertThat(role.getRules()).noneMatch(r -> r.getVerbs().contains("*") || r.getResources().contains("*"));
    }

    @Test
    void theFlatCrdFileHoldsExactlyTheCommittedCrds() throws Exception {
        // manifests/crds/ is checked against the generator by the crds module; 00-crds.yaml, which a
        // non-recursive 'kubectl apply -f manifests/' reads, must be the same CRDs.
        List<HasMetadata> flat = load("00-crds.yaml");
        List<HasMetadata> committed = new ArrayList<>();
        try (var files = Files.list(MANIFESTS.resolve("crds"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yml")).sorted().toList()) {
                committed.add(Serialization.unmarshal(Files.readString(file), CustomResourceDefinition.class));
            }
        }
        assertThat(committed).hasSize(4);
        assertThat(flat).as("manifests/00-crds.yaml is out of date with manifests/crds/; refresh it as its header says")
                .containsExactlyInAnyOrderElementsOf(committed);
    }

    @Test
    void theOperatorRunsHardenedWithTheLabelGatewaysAdmitPushesFrom() throws Exception {
        Deployment deployment = (Deployment) load("operator-deployment.yaml").get(0);
        var pod = deployment.getSpec().getTemplate();
        assertThat(pod.getMetadata().getLabels()).containsEntry("app.kubernetes.io/name", "conduit-operator");
        var container = pod.getSpec().getContainers().get(0);
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(pod.getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
    }

}
