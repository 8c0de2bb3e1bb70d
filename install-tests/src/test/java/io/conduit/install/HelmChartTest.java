package io.conduit.install;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.DryRun;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.conduit.api.v1alpha1.EdgeGateway;
import io.conduit.operator.OperatorSettings;
import io.conduit.operator.gateway.GatewayNames;
import io.conduit.operator.gateway.GatewayNetworkPolicyDependent;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.lang.reflect.Field;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** helm/conduit lints, renders with its defaults and with each value, and holds what the operator needs. */
class HelmChartTest {

    static Deployment operator(Chart.Rendering rendering) {
        return rendering.one(Deployment.class);
    }

    static PodSpec pod(Chart.Rendering rendering) {
        return operator(rendering).getSpec().getTemplate().getSpec();
    }

    static Container container(Chart.Rendering rendering) {
        return pod(rendering).getContainers().get(0);
    }

    static String env(Chart.Rendering rendering, String name) {
        return container(rendering).getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue)
                .findFirst().orElse(null);
    }

    @Test
    void lintsWithoutWarnings() {
        LintResult lint = new Helm(Repository.CHART).lint().strict().call();

        assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
    }

    @Test
    void chartAndAppVersionAreTheProjectVersion() {
        String chart = Repository.read(Repository.CHART.resolve("Chart.yaml"));

        assertThat(chart).contains("\nversion: " + System.getProperty("conduit.version") + "\n")
                .contains("\nappVersion: " + System.getProperty("conduit.version") + "\n");
    }

    @Test
    void defaultsInstallTheOperatorWithItsAccountRoleAndLoggingConfigInTheReleaseNamespace() {
        Chart.Rendering rendering = Chart.render();

        assertThat(rendering.objects()).extracting(o -> o.getKind() + "/" + o.getMetadata().getName()).containsExactlyInAnyOrder(
                "ServiceAccount/conduit-operator", "ClusterRole/conduit-operator", "ClusterRoleBinding/conduit-operator",
                "ConfigMap/conduit-operator-logging", "Deployment/conduit-operator");
        assertThat(rendering.objects()).filteredOn(o -> !o.getKind().startsWith("Cluster"))
                .allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo(Chart.NAMESPACE));
        assertThat(rendering.one(ClusterRoleBinding.class).getSubjects()).singleElement().satisfies(s -> {
            assertThat(s.getName()).isEqualTo(rendering.one(ServiceAccount.class).getMetadata().getName());
            assertThat(s.getNamespace()).isEqualTo(Chart.NAMESPACE);
        });
        assertThat(pod(rendering).getServiceAccountName()).isEqualTo("conduit-operator");
        assertThat(container(rendering).getImage()).isEqualTo("conduit/operator:" + System.getProperty("conduit.version"));
        assertThat(container(rendering).getImagePullPolicy()).isEqualTo("IfNotPresent");
        assertThat(operator(rendering).getSpec().getReplicas()).isEqualTo(1);
    }

    @Test
    void theOperatorStampsTheDefaultGatewayImageItWouldUseWithoutTheChart() {
        assertThat(env(Chart.render(), "CONDUIT_GATEWAY_IMAGE")).isEqualTo(OperatorSettings.DEFAULT_GATEWAY_IMAGE);
    }

    @Test
    void theOperatorPodRunsHardenedWithTheLabelGatewaysAdmitPushesFrom() {
        Chart.Rendering rendering = Chart.render();
        var podContext = pod(rendering).getSecurityContext();
        var context = container(rendering).getSecurityContext();

        assertThat(operator(rendering).getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry("app.kubernetes.io/name", "conduit-operator");
        assertThat(podContext.getRunAsNonRoot()).isTrue();
        assertThat(podContext.getRunAsUser()).isEqualTo(10001L);
        assertThat(podContext.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(context.getAllowPrivilegeEscalation()).isFalse();
        assertThat(context.getReadOnlyRootFilesystem()).isTrue();
        assertThat(context.getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(container(rendering).getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
    }

    @Test
    void theOperatorPodCarriesTheLabelTheOperatorsGatewayNetworkPoliciesAdmit() throws Exception {
        // Package-private in the operator: read it rather than repeat it, so a rename there fails here.
        Field admitted = GatewayNetworkPolicyDependent.class.getDeclaredField("OPERATOR_NAME");
        admitted.setAccessible(true);

        assertThat(operator(Chart.render()).getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry("app.kubernetes.io/name", (String) admitted.get(null));
        // And tells the operator its namespace, to which those NetworkPolicies pin the admitted pods.
        assertThat(operator(Chart.render()).getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .anySatisfy(env -> {
                    assertThat(env.getName()).isEqualTo(io.conduit.operator.OperatorNamespace.ENV);
                    assertThat(env.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.namespace");
                });
    }

    @Test
    void thePodMonitorSelectsThePodsTheOperatorLabelsAsGateways() {
        EdgeGateway gateway = new EdgeGateway();
        gateway.setMetadata(new ObjectMetaBuilder().withName("edge").withNamespace("issues").build());
        GenericKubernetesResource monitor = (GenericKubernetesResource) Chart.render(
                Map.of("metrics", Map.of("podMonitor", Map.of("assumeApiPresent", true)))).kind("PodMonitor").orElseThrow();

        assertThat(GatewayNames.labels(gateway)).containsAllEntriesOf(monitor.get("spec", "selector", "matchLabels"));
    }

    @Test
    void theClusterRoleGrantsWhatTheOperatorNeedsAndNothingElse() {
        List<PolicyRule> rules = Chart.render().one(ClusterRole.class).getRules();

        assertNeedsAndNothingElse(rules);
    }

    static void assertNeedsAndNothingElse(List<PolicyRule> rules) {
        List<OperatorNeeds.Need> needs = OperatorNeeds.all();
        assertThat(needs).allSatisfy(need -> assertThat(need.grantedBy(rules)).as("grants %s", need).isTrue());
        Set<String> needed = new HashSet<>();
        needs.forEach(n -> needed.add(n.group() + "/" + n.resource()));
        for (PolicyRule rule : rules) {
            assertThat(rule.getVerbs()).doesNotContain("*");
            assertThat(rule.getResourceNames()).isNullOrEmpty();
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    assertThat(needed).as("the operator needs %s in group '%s'", resource, group).contains(group + "/" + resource);
                }
            }
        }
    }

    @Test
    void imageValuesSetTheOperatorAndDefaultGatewayImages() {
        Chart.Rendering rendering = Chart.render(Map.of(
                "image", Map.of("repository", "registry.example.com/conduit/operator", "tag", "1.2.3", "pullPolicy", "Always"),
                "gateway", Map.of("image", Map.of("repository", "registry.example.com/conduit/gateway", "tag", "1.2.4")),
                "imagePullSecrets", List.of(Map.of("name", "regcred"))));

        assertThat(container(rendering).getImage()).isEqualTo("registry.example.com/conduit/operator:1.2.3");
        assertThat(container(rendering).getImagePullPolicy()).isEqualTo("Always");
        assertThat(env(rendering, "CONDUIT_GATEWAY_IMAGE")).isEqualTo("registry.example.com/conduit/gateway:1.2.4");
        assertThat(pod(rendering).getImagePullSecrets()).singleElement().satisfies(s -> assertThat(s.getName()).isEqualTo("regcred"));
    }

    @Test
    void secretResyncReachesTheOperatorAsADurationItAccepts() {
        assertThat(env(Chart.render(), OperatorSettings.SECRET_RESYNC_ENV)).as("unset: the operator's default").isNull();
        for (Object value : List.of("PT30S", 30)) {
            String rendered = env(Chart.render(Map.of("secretResync", value)), OperatorSettings.SECRET_RESYNC_ENV);

            assertThat(OperatorSettings.from(Map.of(OperatorSettings.SECRET_RESYNC_ENV, rendered)).secretResync())
                    .as("secretResync %s", value).isEqualTo(java.time.Duration.ofSeconds(30));
        }
    }

    @Test
    void schedulingAndResourceValuesReachThePod() {
        Chart.Rendering rendering = Chart.render(Map.of(
                "resources", Map.of("requests", Map.of("cpu", "250m", "memory", "300Mi"), "limits", Map.of("memory", "1Gi")),
                "nodeSelector", Map.of("kubernetes.io/os", "linux"),
                "tolerations", List.of(Map.of("key", "dedicated", "operator", "Equal", "value", "infra", "effect", "NoSchedule")),
                "affinity", Map.of("nodeAffinity", Map.of("requiredDuringSchedulingIgnoredDuringExecution", Map.of(
                        "nodeSelectorTerms", List.of(Map.of("matchExpressions", List.of(
                                Map.of("key", "node-role", "operator", "In", "values", List.of("infra")))))))),
                "podLabels", Map.of("team", "platform"),
                "podAnnotations", Map.of("example.com/owner", "platform")));

        assertThat(container(rendering).getResources().getRequests().get("cpu").toString()).isEqualTo("250m");
        assertThat(container(rendering).getResources().getLimits().get("memory").toString()).isEqualTo("1Gi");
        assertThat(pod(rendering).getNodeSelector()).containsEntry("kubernetes.io/os", "linux");
        assertThat(pod(rendering).getTolerations()).singleElement().satisfies(t -> assertThat(t.getValue()).isEqualTo("infra"));
        assertThat(pod(rendering).getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms()).hasSize(1);
        var template = operator(rendering).getSpec().getTemplate().getMetadata();
        assertThat(template.getLabels()).containsEntry("team", "platform").containsEntry("app.kubernetes.io/name", "conduit-operator");
        assertThat(template.getAnnotations()).containsEntry("example.com/owner", "platform");
    }

    @Test
    void securityContextValuesReplaceTheDefaults() {
        Chart.Rendering rendering = Chart.render(Map.of(
                "podSecurityContext", Map.of("runAsNonRoot", true, "runAsUser", 2000, "fsGroup", 2000,
                        "seccompProfile", Map.of("type", "RuntimeDefault")),
                "securityContext", Map.of("allowPrivilegeEscalation", false, "readOnlyRootFilesystem", true,
                        "capabilities", Map.of("drop", List.of("ALL")), "runAsNonRoot", true)));

        assertThat(pod(rendering).getSecurityContext().getRunAsUser()).isEqualTo(2000L);
        assertThat(pod(rendering).getSecurityContext().getFsGroup()).isEqualTo(2000L);
        assertThat(container(rendering).getSecurityContext().getRunAsNonRoot()).isTrue();
    }

    @Test
    void watchNamespacesGrantTheSameRulesPerNamespaceAndNothingClusterWide() {
        Chart.Rendering rendering = Chart.render(Map.of("watchNamespaces", List.of("shop", "issues")));

        assertThat(rendering.all(ClusterRole.class)).isEmpty();
        assertThat(rendering.all(ClusterRoleBinding.class)).isEmpty();
        assertThat(rendering.all(Role.class)).extracting(r -> r.getMetadata().getNamespace()).containsExactly("shop", "issues");
        assertThat(rendering.all(Role.class)).allSatisfy(role -> assertNeedsAndNothingElse(role.getRules()));
        assertThat(rendering.all(RoleBinding.class)).allSatisfy(binding -> {
            assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
            assertThat(binding.getSubjects()).singleElement().satisfies(s -> assertThat(s.getNamespace()).isEqualTo(Chart.NAMESPACE));
        });
        assertThat(env(rendering, "CONDUIT_WATCH_NAMESPACES")).isEqualTo("shop,issues");
        assertThat(env(Chart.render(), "CONDUIT_WATCH_NAMESPACES")).isNull();
    }

    @Test
    void aPodMonitorForGatewayMetricsOnlyWhereThePrometheusOperatorApiIs() {
        assertThat(Chart.render().kind("PodMonitor")).as("no monitoring.coreos.com/v1 in helm template").isEmpty();
        assertThat(Chart.render(Map.of("metrics", Map.of("podMonitor", Map.of("assumeApiPresent", true, "enabled", false)))).kind("PodMonitor"))
                .isEmpty();

        Chart.Rendering rendering = Chart.render(Map.of("metrics", Map.of("podMonitor", Map.of(
                "assumeApiPresent", true, "interval", "15s", "labels", Map.of("release", "prometheus")))));
        GenericKubernetesResource monitor = (GenericKubernetesResource) rendering.kind("PodMonitor").orElseThrow();

        assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "prometheus");
        assertThat(monitor.<Boolean>get("spec", "namespaceSelector", "any")).isTrue();
        assertThat(monitor.<Map<String, String>>get("spec", "selector", "matchLabels")).containsEntry("app.kubernetes.io/name", "conduit-gateway");
        assertThat(monitor.<List<Map<String, Object>>>get("spec", "podMetricsEndpoints")).singleElement()
                .satisfies(e -> assertThat(e).containsEntry("port", "admin").containsEntry("path", "/metrics").containsEntry("interval", "15s"));
    }

    /** {@code helm install --dry-run=client} output: the release summary and its NOTES. */
    static String installNotes(String... sets) {
        var install = new Helm(Repository.CHART).install().withName(Chart.RELEASE).withNamespace(Chart.NAMESPACE)
                .withKubeVersion(Chart.KUBE_VERSION).dryRun().withDryRunOption(DryRun.CLIENT).clientOnly();
        for (int i = 0; i < sets.length; i += 2) {
            install.set(sets[i], sets[i + 1]);
        }
        String output = install.call().getOutput();
        return output.substring(output.indexOf("NOTES:"));
    }

    @Test
    void theInstallNotesSayHowToCheckTheOperatorAndWhichGatewayImageRuns() {
        String notes = installNotes("gateway.image.repository", "registry.example.com/conduit/gateway");

        assertThat(notes).contains("kubectl -n conduit-system rollout status deployment/conduit-operator")
                .contains("registry.example.com/conduit/gateway:" + System.getProperty("conduit.version"))
                .contains("No PodMonitor was created");
        assertThat(installNotes("metrics.podMonitor.assumeApiPresent", "true")).doesNotContain("No PodMonitor");
    }

    static List<Map<String, ?>> wronglyTypedValues() {
        return List.of(
                Map.of("image", Map.of("repository", "conduit/operator", "pullPolicy", "Sometimes")),
                Map.of("image", Map.of("repository", "conduit/operator", "pullPolicy", "Always", "tag", 3)),
                Map.of("watchNamespaces", "shop"),
                Map.of("watchNamespaces", List.of("Not_A_Namespace")),
                Map.of("secretResync", "soon"),
                Map.of("secretResync", 0),
                Map.of("resources", Map.of("limits", Map.of("memory", "lots"))),
                Map.of("nodeSelector", Map.of("zone", 1)),
                Map.of("tolerations", Map.of("key", "x")),
                Map.of("logging", Map.of("level", "LOUD")),
                Map.of("logging", Map.of("format", "xml")),
                Map.of("metrics", Map.of("podMonitor", Map.of("enabled", "yes"))),
                Map.of("metrics", Map.of("podMonitor", Map.of("interval", 30))),
                Map.of("securityContext", Map.of("readOnlyRootFilesystem", "true")),
                Map.of("replicas", 2));
    }

    @ParameterizedTest
    @MethodSource("wronglyTypedValues")
    void theSchemaRejectsAValueOfTheWrongTypeOrAnUnknownOne(Map<String, ?> values) {
        String error = Chart.renderError(values);

        assertThat(error).containsIgnoringCase("schema");
    }
}
