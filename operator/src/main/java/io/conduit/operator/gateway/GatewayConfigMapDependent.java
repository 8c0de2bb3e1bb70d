package io.conduit.operator.gateway;

import io.conduit.api.v1alpha1.EdgeGateway;
import io.conduit.config.ConfigJson;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.BooleanWithUndefined;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** ConfigMap {@code <gateway>-config}: the rendered GatewayConfig, never any secret. */
@KubernetesDependent(useSSA = BooleanWithUndefined.FALSE)
public class GatewayConfigMapDependent extends CRUDKubernetesDependentResource<ConfigMap, EdgeGateway> {

    public GatewayConfigMapDependent() {
        super(ConfigMap.class);
    }

    @Override
    protected ConfigMap desired(EdgeGateway gateway, Context<EdgeGateway> context) {
        var rendering = GatewayRendering.of(gateway, context);
        return new ConfigMapBuilder()
                .withNewMetadata()
                .withName(GatewayNames.config(gateway))
                .withNamespace(gateway.getMetadata().getNamespace())
                .withLabels(GatewayNames.labels(gateway))
                .addToAnnotations("conduit.io/revision", rendering.config().revision())
                .endMetadata()
                .addToData(GatewayNames.CONFIG_KEY, ConfigJson.write(rendering.config()))
                .build();
    }
}
