package io.conduit.operator;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Settings of the operator process, from its environment.
 *
 * @param gatewayImage    the image stamped into gateway Deployments unless an EdgeGateway names its own
 * @param watchNamespaces the namespaces served; empty: all of them
 */
public record OperatorSettings(String gatewayImage, Set<String> watchNamespaces) {
    public static final String DEFAULT_GATEWAY_IMAGE = "conduit/gateway:0.1.0-SNAPSHOT";
    /** Set by the chart from its {@code watchNamespaces} value, comma separated. */
    public static final String WATCH_NAMESPACES_ENV = "CONDUIT_WATCH_NAMESPACES";
    public static final String GATEWAY_IMAGE_ENV = "CONDUIT_GATEWAY_IMAGE";

    public OperatorSettings {
        watchNamespaces = Set.copyOf(watchNamespaces);
    }

    public static OperatorSettings fromEnvironment() {
        return from(System.getenv());
    }

    public static OperatorSettings from(Map<String, String> env) {
        String image = env.get(GATEWAY_IMAGE_ENV);
        String namespaces = env.getOrDefault(WATCH_NAMESPACES_ENV, "");
        // Blanks are dropped so "a, b," or an empty value mean what they look like.
        Set<String> watched = Arrays.stream(namespaces.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new));
        return new OperatorSettings(image == null || image.isBlank() ? DEFAULT_GATEWAY_IMAGE : image, watched);
    }

    public boolean watchesAllNamespaces() {
        return watchNamespaces.isEmpty();
    }
}
