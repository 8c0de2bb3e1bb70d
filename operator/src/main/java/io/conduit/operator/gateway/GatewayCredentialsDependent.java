package io.conduit.operator.gateway;

import io.conduit.api.v1alpha1.EdgeGateway;
import io.conduit.config.ConfigJson;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.BooleanWithUndefined;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Secret {@code <gateway>-credentials}: the backend credentials and tokens the rendered config
 * refers to by key, copied from the Secrets the resources name. Kept out of the ConfigMap on purpose.
 */
// Its informer caches only the operator's own Secrets, never the namespace's others.
@KubernetesDependent(useSSA = BooleanWithUndefined.FALSE,
        informer = @Informer(labelSelector = GatewayNames.MANAGED_BY_LABEL + "=conduit-operator"))
public class GatewayCredentialsDependent extends CRUDKubernetesDependentResource<Secret, EdgeGateway> {

    public GatewayCredentialsDependent() {
        super(Secret.class);
    }

    @Override
    protected Secret desired(EdgeGateway gateway, Context<EdgeGateway> context) {
        var rendering = GatewayRendering.of(gateway, context);
        String json = ConfigJson.write(rendering.credentials().entries());
        return new SecretBuilder()
                .withNewMetadata()
                .withName(GatewayNames.credentials(gateway))
                .withNamespace(gateway.getMetadata().getNamespace())
                .withLabels(GatewayNames.labels(gateway))
                .endMetadata()
                .withType("Opaque")
                .addToData(GatewayNames.CREDENTIALS_KEY,
                        Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)))
                .build();
    }
}
