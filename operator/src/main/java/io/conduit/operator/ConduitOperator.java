package io.conduit.operator;

import io.conduit.operator.backend.BlobBackendReconciler;
import io.conduit.operator.backend.QueueBackendReconciler;
import io.conduit.operator.gateway.EdgeGatewayReconciler;
import io.conduit.operator.gateway.ServedRules;
import io.conduit.operator.rule.RouteRuleReconciler;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import java.util.List;

/** {@code java -jar conduit-operator.jar}: in a cluster with its ServiceAccount, or outside with a kubeconfig. */
public final class ConduitOperator {
    private ConduitOperator() {
    }

    /** Every reconciler the operator runs; the gateway and rule reconcilers share what pods acknowledged. */
    public static List<Reconciler<?>> reconcilers() {
        ServedRules served = new ServedRules();
        return List.of(new EdgeGatewayReconciler(served), new RouteRuleReconciler(served),
                new BlobBackendReconciler(), new QueueBackendReconciler());
    }

    /**
     * Registers {@code reconciler} for the namespaces of {@code settings}. The informers of its
     * dependents and event sources inherit the controller's namespaces, so with a list the operator
     * never lists or watches anything cluster-wide and a Role per namespace is all it needs.
     */
    public static <P extends HasMetadata> void register(Operator operator, Reconciler<P> reconciler, OperatorSettings settings) {
        operator.register(reconciler, overrider -> {
            if (!settings.watchesAllNamespaces()) {
                overrider.settingNamespaces(settings.watchNamespaces());
            }
            if (reconciler instanceof EdgeGatewayReconciler) {
                // Unwatched Secrets are read by name on every reconciliation: this bounds how late their rotation lands.
                overrider.withReconciliationMaxInterval(settings.secretResync());
            }
        });
    }

    public static void main(String[] args) {
        OperatorSettings settings = OperatorSettings.fromEnvironment();
        Operator operator = new Operator(OperatorMode::apply);
        reconcilers().forEach(reconciler -> register(operator, reconciler, settings));
        operator.start();
    }
}
