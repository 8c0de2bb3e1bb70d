package io.conduit.operator;

import io.conduit.operator.backend.BlobBackendReconciler;
import io.conduit.operator.backend.QueueBackendReconciler;
import io.conduit.operator.gateway.EdgeGatewayReconciler;
import io.conduit.operator.gateway.ServedRules;
import io.conduit.operator.rule.RouteRuleReconciler;
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

    public static void main(String[] args) {
        Operator operator = new Operator(OperatorMode::apply);
        reconcilers().forEach(operator::register);
        operator.start();
    }
}
