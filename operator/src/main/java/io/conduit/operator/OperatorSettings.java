package io.conduit.operator;

import java.time.Duration;
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
 * @param secretResync    how often a gateway is reconciled even when nothing it watches changed: the bound on
 *                        how late a rotated Secret without the {@code conduit.io/watched} label reaches it
 */
public record OperatorSettings(String gatewayImage, Set<String> watchNamespaces, Duration secretResync) {
    public static final String DEFAULT_GATEWAY_IMAGE = "conduit/gateway:0.1.0-SNAPSHOT";
    /** Set by the chart from its {@code watchNamespaces} value, comma separated. */
    public static final String WATCH_NAMESPACES_ENV = "CONDUIT_WATCH_NAMESPACES";
    public static final String GATEWAY_IMAGE_ENV = "CONDUIT_GATEWAY_IMAGE";
    /** ISO-8601 ({@code PT30S}) or seconds; default {@link #DEFAULT_SECRET_RESYNC}. */
    public static final String SECRET_RESYNC_ENV = "CONDUIT_SECRET_RESYNC";
    public static final Duration DEFAULT_SECRET_RESYNC = Duration.ofMinutes(1);

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
        return new OperatorSettings(image == null || image.isBlank() ? DEFAULT_GATEWAY_IMAGE : image, watched,
                duration(SECRET_RESYNC_ENV, env.get(SECRET_RESYNC_ENV), DEFAULT_SECRET_RESYNC));
    }

    private static Duration duration(String name, String value, Duration otherwise) {
        if (value == null || value.isBlank()) {
            return otherwise;
        }
        Duration d;
        try {
            d = value.strip().matches("\\d+") ? Duration.ofSeconds(Long.parseLong(value.strip())) : Duration.parse(value.strip());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(name + " must be seconds or an ISO-8601 duration such as PT30S: " + value, e);
        }
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
        return d;
    }

    public boolean watchesAllNamespaces() {
        return watchNamespaces.isEmpty();
    }
}
