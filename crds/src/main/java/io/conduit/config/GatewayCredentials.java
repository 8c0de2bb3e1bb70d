package io.conduit.config;

import java.util.Map;
import java.util.TreeMap;

/**
 * Secret material a gateway needs, keyed by the {@code credentialsKey} its config names. Kept apart
 * from {@link GatewayConfig} so it goes into a Secret and never into a ConfigMap, log or status.
 */
public record GatewayCredentials(Map<String, Map<String, String>> entries) {
    public static final GatewayCredentials NONE = new GatewayCredentials(Map.of());

    public GatewayCredentials {
        entries = entries == null ? Map.of() : Map.copyOf(new TreeMap<>(entries));
    }

    public Map<String, String> get(String key) {
        return key == null ? Map.of() : entries.getOrDefault(key, Map.of());
    }

    @Override
    public String toString() {
        // Never print values.
        return "GatewayCredentials" + entries.keySet();
    }
}
