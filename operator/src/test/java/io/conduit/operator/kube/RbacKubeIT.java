package io.conduit.operator.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.conduit.operator.ConduitOperator;
import io.conduit.operator.OperatorMockServer;
import io.conduit.operator.OperatorSettings;
import io.conduit.testsupport.KubeCluster;
import io.conduit.testsupport.RealKubernetes;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The other half of {@link OperatorKubeIT}'s "never refused": the RBAC check can fail. The chart's ClusterRole
 * without its Deployments rule, bound to an account of its own: the operator as that account is refused (403) when
 * it lists the Deployments it watches and does not start; so the role the chart installs is what the server enforces.
 */
@ExtendWith(RealKubernetes.class)
class RbacKubeIT {
    static final String NS = "kube-rbac";
    static final String ACCOUNT = "conduit-operator-without-deployments";

    @Test
    void theOperatorFailsWhenItsRoleLacksOneRule(KubeCluster cluster) {
        Installed.manifests(cluster);
        Installed.namespace(cluster, NS);
        var admin = cluster.client();
        ClusterRole chart = admin.rbac().clusterRoles().withName(Installed.OPERATOR_ACCOUNT).get();
        List<PolicyRule> lessOne = chart.getRules().stream().filter(r -> !r.getResources().contains("deployments")).toList();
        assertThat(lessOne).hasSize(chart.getRules().size() - 1);
        admin.rbac().clusterRoles().resource(new ClusterRoleBuilder().withNewMetadata().withName(ACCOUNT).endMetadata()
                .withRules(lessOne).build()).createOr(r -> r.update());
        admin.serviceAccounts().inNamespace(Installed.OPERATOR_NAMESPACE).resource(new ServiceAccountBuilder()
                .withNewMetadata().withName(ACCOUNT).endMetadata().build()).createOr(r -> r.update());
        admin.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder().withNewMetadata().withName(ACCOUNT).endMetadata()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName(ACCOUNT).endRoleRef()
                .addNewSubject().withKind("ServiceAccount").withName(ACCOUNT).withNamespace(Installed.OPERATOR_NAMESPACE).endSubject()
                .build()).createOr(r -> r.update());

        OperatorClient operatorClient = OperatorClient.as(cluster, Installed.OPERATOR_NAMESPACE, ACCOUNT);
        try {
            // The operator cannot even start: listing Deployments to watch its gateways' is refused.
            assertThatThrownBy(() -> OperatorMockServer.start(admin, operatorClient.client(),
                    OperatorSettings.from(Map.of("CONDUIT_WATCH_NAMESPACES", NS)), ConduitOperator.reconcilers().toArray(Reconciler[]::new)))
                    .hasStackTraceContaining("GatewayDeploymentDependent");
            assertThat(operatorClient.forbidden()).isNotEmpty().allMatch(request -> request.contains("/deployments"), "only Deployments refused");
        } finally {
            operatorClient.client().close();
        }
    }
}
