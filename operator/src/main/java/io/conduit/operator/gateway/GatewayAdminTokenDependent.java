package io.conduit.operator.gateway;

import io.conduit.api.v1alpha1.EdgeGateway;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.BooleanWithUndefined;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * Secret {@code <gateway>-admin}: the token the pods check and the operator sends with every push.
 * Generated on creation and never regenerated: the desired Secret carries the token the existing one holds.
 * The Deployment depends on it ({@link EdgeGatewayReconciler}'s workflow), so it exists before pods mount it.
 */
@KubernetesDependent(useSSA = BooleanWithUndefined.FALSE,
        informer = @Informer(labelSelector = GatewayNames.MANAGED_BY_LABEL + "=conduit-operator"))
public class GatewayAdminTokenDependent extends CRUDKubernetesDependentResource<Secret, EdgeGateway> {
    static final String NAME = "admin-token";

    public GatewayAdminTokenDependent() {
        super(Secret.class);
    }

    @Override
    protected Secret desired(EdgeGateway gateway, Context<EdgeGateway> context) {
        return AdminTokens.secret(gateway, AdminTokens.settle(context, getSecondaryResource(gateway, context)));
    }

    /** By name: the default would ask {@link #desired}, which itself reads the existing Secret. */
    @Override
    protected ResourceID targetSecondaryResourceID(EdgeGateway gateway, Context<EdgeGateway> context) {
        return new ResourceID(AdminTokens.name(gateway), gateway.getMetadata().getNamespace());
    }
}
