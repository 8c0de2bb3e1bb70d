package io.conduit.render;

import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Looks up Secrets by namespace and name and reads their values from {@code data} and {@code stringData}. */
final class Secrets {
    private final List<Secret> secrets;

    Secrets(List<Secret> secrets) {
        this.secrets = secrets;
    }

    Optional<Map<String, String>> values(String namespace, String name) {
        return secrets.stream()
                .filter(s -> name.equals(s.getMetadata().getName()) && namespace.equals(ResourceId.namespaceOf(s)))
                .findFirst()
                .map(Secrets::decode);
    }

    private static Map<String, String> decode(Secret secret) {
        Map<String, String> values = new TreeMap<>();
        if (secret.getData() != null) {
            secret.getData().forEach((k, v) -> values.put(k,
                    new String(Base64.getMimeDecoder().decode(v), StandardCharsets.UTF_8)));
        }
        if (secret.getStringData() != null) {
            values.putAll(secret.getStringData());
        }
        return values;
    }
}
