package io.conduit.operator.gateway;

import io.conduit.api.v1alpha1.EdgeGateway;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The per-gateway admin token, generated once into Secret {@code <gw>-admin} and kept: pods read it
 * from there, the operator sends it with every push. Owned by the EdgeGateway, so it goes with it.
 */
final class AdminTokens {
    static final String KEY = "token";
    private static final SecureRandom RANDOM = new SecureRandom();

    private AdminTokens() {
    }

    static String name(EdgeGateway gateway) {
        return gateway.getMetadata().getName() + "-admin";
    }

    /** The gateway's token, creating its Secret the first time. */
    static String ensure(KubernetesClient client, EdgeGateway gateway) {
        return ensure(client, gateway, null);
    }

    /**
     * As {@link #ensure(KubernetesClient, EdgeGateway)}, trying {@code cached} (the informer's copy of the
     * Secret, or null) first: a reconciliation that pushes then makes no API call before the push.
     */
    static String ensure(KubernetesClient client, EdgeGateway gateway, Secret cached) {
        if (cached != null && cached.getData() != null && cached.getData().containsKey(KEY)) {
            return new String(Base64.getDecoder().decode(cached.getData().get(KEY)), StandardCharsets.UTF_8);
        }
        String ns = gateway.getMetadata().getNamespace();
        Secret existing = client.secrets().inNamespace(ns).withName(name(gateway)).get();
        if (existing != null && existing.getData() != null && existing.getData().containsKey(KEY)) {
            return new String(Base64.getDecoder().decode(existing.getData().get(KEY)), StandardCharsets.UTF_8);
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = HexFormat.of().formatHex(bytes);
        Secret secret = new SecretBuilder()
                .withNewMetadata()
                .withName(name(gateway))
                .withNamespace(ns)
                .withLabels(GatewayNames.labels(gateway))
                .withOwnerReferences(new OwnerReferenceBuilder()
                        .withApiVersion(gateway.getApiVersion()).withKind(gateway.getKind())
                        .withName(gateway.getMetadata().getName()).withUid(gateway.getMetadata().getUid())
                        .withController(true).withBlockOwnerDeletion(true).build())
                .endMetadata()
                .withType("Opaque")
                .addToData(KEY, Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8)))
                .build();
        try {
            client.secrets().inNamespace(ns).resource(secret).create();
            return token;
        } catch (KubernetesClientException conflict) {
            // Created meanwhile by another reconciliation: use that one.
            if (conflict.getCode() == 409) {
                return ensure(client, gateway);
            }
            throw conflict;
        }
    }
}
