package io.conduit.operator;

import java.util.Map;

/**
 * The namespace the operator runs in: the chart sets it from the pod's own metadata (downward API).
 * Gateways admit admin-port traffic from the operator's pods in this namespace only.
 */
public final class OperatorNamespace {
    public static final String ENV = "CONDUIT_OPERATOR_NAMESPACE";
    /** The chart's and the manifests' namespace, for an operator started without the variable. */
    public static final String DEFAULT = "conduit-system";

    private OperatorNamespace() {
    }

    public static String of(Map<String, String> env) {
        String ns = env.get(ENV);
        return ns == null || ns.isBlank() ? DEFAULT : ns.strip();
    }

    public static String fromEnvironment() {
        return of(System.getenv());
    }
}
