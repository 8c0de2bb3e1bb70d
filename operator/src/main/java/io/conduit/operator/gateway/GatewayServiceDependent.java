package io.conduit.operator.gateway;

import io.conduit.api.v1alpha1.EdgeGateway;
import io.conduit.api.v1alpha1.EdgeGatewaySpec;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.BooleanWithUndefined;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.util.HashMap;

/** The Service in front of the gateway pods: the traffic port only, never the admin port. */
@KubernetesDependent(useSSA = BooleanWithUndefined.FALSE)
public class GatewayServiceDependent extends CRUDKubernetesDependentResource<Service, EdgeGateway> {

    public GatewayServiceDependent() {
        super(Service.class);
    }

    @Override
    protected Service desired(EdgeGateway gateway, Context<EdgeGateway> context) {
        EdgeGatewaySpec.Service s = gateway.getSpec() == null ? null : gateway.getSpec().service();
        int port = s == null || s.port() == null ? 80 : s.port();
        String type = s == null || s.type() == null ? "ClusterIP" : s.type().name();
        return new ServiceBuilder()
                .withNewMetadata()
                .withName(GatewayNames.workload(gateway))
                .withNamespace(gateway.getMetadata().getNamespace())
                .withLabels(GatewayNames.labels(gateway))
                .withAnnotations(s == null || s.annotations() == null ? new HashMap<>() : new HashMap<>(s.annotations()))
                .endMetadata()
                .withNewSpec()
                .withType(type)
                .withSelector(GatewayNames.selector(gateway))
                .addNewPort().withName("http").withPort(port)
                .withTargetPort(new IntOrString(GatewayDeploymentDependent.TRAFFIC_PORT)).endPort()
                .endSpec()
                .build();
    }
}
