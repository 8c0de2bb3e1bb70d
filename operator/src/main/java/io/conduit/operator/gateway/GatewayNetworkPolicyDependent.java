package io.conduit.operator.gateway;

import io.conduit.operator.OperatorNamespace;
import io.conduit.api.v1alpha1.EdgeGateway;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.BooleanWithUndefined;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/**
 * Ingress to the gateway pods: the traffic port from anywhere, the admin port only from the
 * operator's pods in the operator's namespace, so nobody else can push a config.
 */
@KubernetesDependent(useSSA = BooleanWithUndefined.FALSE)
public class GatewayNetworkPolicyDependent extends CRUDKubernetesDependentResource<NetworkPolicy, EdgeGateway> {
    static final String OPERATOR_NAME = "conduit-operator";

    public GatewayNetworkPolicyDependent() {
        super(NetworkPolicy.class);
    }

    @Override
    protected NetworkPolicy desired(EdgeGateway gateway, Context<EdgeGateway> context) {
        return new NetworkPolicyBuilder()
                .withNewMetadata()
                .withName(GatewayNames.workload(gateway))
                .withNamespace(gateway.getMetadata().getNamespace())
                .withLabels(GatewayNames.labels(gateway))
                .endMetadata()
                .withNewSpec()
                .withNewPodSelector().withMatchLabels(GatewayNames.selector(gateway)).endPodSelector()
                .withPolicyTypes("Ingress")
                .addNewIngress()
                .addNewPort().withProtocol("TCP").withPort(new IntOrString(GatewayDeploymentDependent.TRAFFIC_PORT)).endPort()
                .endIngress()
                .addNewIngress()
                .addNewFrom()
                // The operator's pods in the operator's namespace only: the same labels elsewhere admit nothing.
                .withNewNamespaceSelector().addToMatchLabels("kubernetes.io/metadata.name", OperatorNamespace.fromEnvironment())
                .endNamespaceSelector()
                .withNewPodSelector().addToMatchLabels(GatewayNames.APP_LABEL, OPERATOR_NAME).endPodSelector()
                .endFrom()
                .addNewPort().withProtocol("TCP").withPort(new IntOrString(GatewayDeploymentDependent.ADMIN_PORT)).endPort()
                .endIngress()
                .endSpec()
                .build();
    }
}
