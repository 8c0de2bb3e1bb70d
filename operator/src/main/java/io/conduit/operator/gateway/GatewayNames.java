package io.conduit.operator.gateway;

import io.conduit.api.v1alpha1.EdgeGateway;
import java.util.Map;

/** Names and labels of what an EdgeGateway owns, in one place. */
public final class GatewayNames {
    public static final String CONFIG_KEY = "config.json";
    public static final String CREDENTIALS_KEY = "credentials.json";
    static final String APP_LABEL = "app.kubernetes.io/name";
    static final String INSTANCE_LABEL = "app.kubernetes.io/instance";
    static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";

    private GatewayNames() {
    }

    public static String config(EdgeGateway gateway) {
        return gateway.getMetadata().getName() + "-config";
    }

    public static String credentials(EdgeGateway gateway) {
        return gateway.getMetadata().getName() + "-credentials";
    }

    public static String workload(EdgeGateway gateway) {
        return gateway.getMetadata().getName() + "-gateway";
    }

    /** Labels every owned object carries; the pod selector is the first two. */
    public static Map<String, String> labels(EdgeGateway gateway) {
        return Map.of(APP_LABEL, "conduit-gateway", INSTANCE_LABEL, gateway.getMetadata().getName(),
                MANAGED_BY_LABEL, "conduit-operator");
    }

    public static Map<String, String> selector(EdgeGateway gateway) {
        return Map.of(APP_LABEL, "conduit-gateway", INSTANCE_LABEL, gateway.getMetadata().getName());
    }

    /** The selector as the scale subresource wants it: a label-selector string. */
    public static String selectorString(EdgeGateway gateway) {
        return APP_LABEL + "=conduit-gateway," + INSTANCE_LABEL + "=" + gateway.getMetadata().getName();
    }
}
