package io.conduit.operator.gateway;

import io.conduit.api.v1alpha1.EdgeGateway;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.BooleanWithUndefined;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The pods' own ServiceAccount, with no token mounted: gateway pods face the internet and need no API access. */
@KubernetesDependent(useSSA = BooleanWithUndefined.FALSE)
public class GatewayServiceAccountDependent extends CRUDKubernetesDependentResource<ServiceAccount, EdgeGateway> {

    public GatewayServiceAccountDependent() {
        super(ServiceAccount.class);
    }

    @Override
    protected ServiceAccount desired(EdgeGateway gateway, Context<EdgeGateway> context) {
        return new ServiceAccountBuilder()
                .withNewMetadata()
                .withName(GatewayNames.workload(gateway))
                .withNamespace(gateway.getMetadata().getNamespace())
                .withLabels(GatewayNames.labels(gateway))
                .endMetadata()
                .withAutomountServiceAccountToken(false)
                .build();
    }
}
