package io.conduit.operator;

import io.conduit.operator.gateway.EdgeGatewayReconciler;

import io.javaoperatorsdk.operator.Operator;

/** {@code java -jar conduit-operator.jar}: in a cluster with its ServiceAccount, or outside with a kubeconfig. */
public final class ConduitOperator {
    private ConduitOperator() {
    }

    public static void main(String[] args) {
        Operator operator = new Operator(OperatorMode::apply);
        operator.register(new EdgeGatewayReconciler());
        operator.start();
    }
}
