package io.conduit.operator.gateway;

import io.conduit.api.v1alpha1.EdgeGateway;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The per-gateway admin token, generated once into Secret {@code <gw>-admin} and kept: pods read it
 * from there, the operator sends it with every push. {@link GatewayAdminTokenDependent} owns the Secret;
 * the token it settled on for a reconciliation is shared through the reconciliation context.
 */
final class AdminTokens {
    static final String KEY = "token";
    private static final String CONTEXT_KEY = AdminTokens.class.getName();
    private static final SecureRandom RANDOM = new SecureRandom();

    private AdminTokens() {
    }

    static String name(EdgeGateway gateway) {
        return gateway.getMetadata().getName() + "-admin";
    }

    /**
     * The token of this reconciliation: the one {@code existing} holds, else a new one. Settled once per
     * reconciliation, so the Secret, the pods' credentials hash and the push all use the same token.
     */
    static String settle(Context<EdgeGateway> context, Optional<Secret> existing) {
        var shared = context.managedWorkflowAndDependentResourceContext();
        synchronized (shared) {
            String token = shared.get(CONTEXT_KEY, String.class)
                    .orElseGet(() -> existing.map(AdminTokens::token).orElseGet(AdminTokens::generate));
            shared.put(CONTEXT_KEY, token);
            return token;
        }
    }

    /** The token the admin-token dependent settled on; the workflow runs it before anything that needs it. */
    static String of(Context<EdgeGateway> context) {
        return context.managedWorkflowAndDependentResourceContext().getMandatory(CONTEXT_KEY, String.class);
    }

    static Secret secret(EdgeGateway gateway, String token) {
        return new SecretBuilder()
                .withNewMetadata()
                .withName(name(gateway))
                .withNamespace(gateway.getMetadata().getNamespace())
                .withLabels(GatewayNames.labels(gateway))
                .endMetadata()
                .withType("Opaque")
                .addToData(KEY, Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8)))
                .build();
    }

    /** The token a Secret holds, or null when it holds none. */
    private static String token(Secret secret) {
        return secret.getData() == null || !secret.getData().containsKey(KEY) ? null
                : new String(Base64.getDecoder().decode(secret.getData().get(KEY)), StandardCharsets.UTF_8);
    }

    private static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
