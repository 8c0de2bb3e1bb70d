package io.conduit.operator.gateway;

import io.conduit.api.v1alpha1.EdgeGateway;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.BooleanWithUndefined;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** With more than one replica, voluntary disruptions (node drains) take at most one gateway pod at a time. */
@KubernetesDependent(useSSA = BooleanWithUndefined.FALSE)
public class GatewayDisruptionBudgetDependent extends CRUDKubernetesDependentResource<PodDisruptionBudget, EdgeGateway> {

    public GatewayDisruptionBudgetDependent() {
        super(PodDisruptionBudget.class);
    }

    @Override
    protected PodDisruptionBudget desired(EdgeGateway gateway, Context<EdgeGateway> context) {
        return new PodDisruptionBudgetBuilder()
                .withNewMetadata()
                .withName(GatewayNames.workload(gateway))
                .withNamespace(gateway.getMetadata().getNamespace())
                .withLabels(GatewayNames.labels(gateway))
                .endMetadata()
                .withNewSpec()
                .withMaxUnavailable(new IntOrString(1))
                .withNewSelector().withMatchLabels(GatewayNames.selector(gateway)).endSelector()
                .endSpec()
                .build();
    }

    /** Only when there is more than one pod: a budget over a single pod would block every drain. */
    public static final class MultipleReplicas implements Condition<PodDisruptionBudget, EdgeGateway> {
        @Override
        public boolean isMet(DependentResource<PodDisruptionBudget, EdgeGateway> dependent, EdgeGateway gateway,
                             Context<EdgeGateway> context) {
            return gateway.getSpec() != null && gateway.getSpec().replicas() != null && gateway.getSpec().replicas() > 1;
        }
    }
}
