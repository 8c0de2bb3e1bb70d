package io.conduit.operator.provision;

import io.conduit.operator.ReferencedSecrets;
import io.conduit.api.v1alpha1.EdgeGateway;
import io.conduit.api.v1alpha1.QueueBackendSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The Secrets provisioning writes, in the backend's namespace: a gateway's identity (read by the renderer into
 * {@code <gateway>-credentials}; owned by the gateway, so it goes with it) and a consumer's (owned by the backend,
 * laid out for {@code envFrom}). Labelled with the backend, so a Secret the operator did not write is never taken over.
 */
final class ProvisionSecrets {
    static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    static final String BACKEND_LABEL = "conduit.io/provisioned-for";
    static final String REDIS_PASSWORD = "REDIS_PASSWORD";

    private ProvisionSecrets() {
    }

    static Secret get(KubernetesClient client, String ns, String name) {
        return client.secrets().inNamespace(ns).withName(name).get();
    }

    /** The decoded values of a Secret, or null if it does not exist. */
    static Map<String, String> values(KubernetesClient client, String ns, String name) {
        Secret secret = get(client, ns, name);
        if (secret == null) {
            return null;
        }
        Map<String, String> values = new LinkedHashMap<>();
        if (secret.getData() != null) {
            secret.getData().forEach((k, v) -> values.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        }
        if (secret.getStringData() != null) {
            values.putAll(secret.getStringData());
        }
        return values;
    }

    static boolean ownedBy(Secret secret, HasMetadata backend) {
        var labels = secret.getMetadata().getLabels();
        return labels != null && backendLabel(backend).equals(labels.get(BACKEND_LABEL));
    }

    /** {@code QueueBackend.<name>}: the kind, since a BlobBackend and a QueueBackend may share a name. */
    private static String backendLabel(HasMetadata backend) {
        return backend.getKind() + "." + backend.getMetadata().getName();
    }

    static Secret gateway(HasMetadata backend, EdgeGateway gateway, String name, String user, StoredIdentity identity) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put("username", user);
        data.put(StoredIdentity.PASSWORD, identity.password());
        return build(backend, name, owner(gateway), data, identity);
    }

    /**
     * For {@code envFrom}: REDIS_URL (user and password in it; what BullMQ/ioredis and most clients take), the same
     * as REDIS_HOST, REDIS_PORT, REDIS_DB, REDIS_USERNAME, REDIS_PASSWORD, REDIS_TLS, and QUEUE_PREFIX, QUEUE_MODE.
     */
    static Secret redisConsumer(HasMetadata backend, String name, RedisConnectionUrl url, String user, StoredIdentity identity,
                                String prefix, QueueBackendSpec.RedisMode mode) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put("REDIS_URL", url.withUser(user, identity.password()));
        data.put("REDIS_HOST", url.host());
        data.put("REDIS_PORT", Integer.toString(url.port()));
        data.put("REDIS_DB", Integer.toString(url.db()));
        data.put("REDIS_USERNAME", user);
        data.put(REDIS_PASSWORD, identity.password());
        data.put("REDIS_TLS", Boolean.toString(url.scheme().equals("rediss")));
        data.put("QUEUE_PREFIX", prefix);
        data.put("QUEUE_MODE", mode == QueueBackendSpec.RedisMode.STREAMS ? "streams" : "bullmq");
        return build(backend, name, owner(backend), data, identity);
    }

    private static Secret build(HasMetadata backend, String name, OwnerReference owner, Map<String, String> values,
                                StoredIdentity identity) {
        Map<String, String> data = new LinkedHashMap<>();
        values.forEach((k, v) -> data.put(k, encode(v)));
        if (identity.previousSha256() != null) {
            data.put(StoredIdentity.PREVIOUS, encode(identity.previousSha256()));
        }
        return new SecretBuilder().withNewMetadata()
                .withName(name).withNamespace(backend.getMetadata().getNamespace())
                .addToLabels(MANAGED_BY, "conduit-operator")
                .addToLabels(BACKEND_LABEL, backendLabel(backend))
                // Watched: a rotation re-renders the gateways at once, not at the next periodic reconciliation.
                .addToLabels(ReferencedSecrets.WATCH_LABEL, "true")
                .addToAnnotations(StoredIdentity.ROTATION_ANNOTATION, identity.rotation())
                .withOwnerReferences(owner)
                .endMetadata()
                .withType("Opaque").withData(data).build();
    }

    private static OwnerReference owner(HasMetadata owner) {
        return new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
                .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid()).build();
    }

    /** Writes {@code desired} unless the Secret already holds exactly it: an unchanged Secret wakes no gateway. */
    static void write(KubernetesClient client, Secret desired) {
        Secret existing = get(client, desired.getMetadata().getNamespace(), desired.getMetadata().getName());
        if (existing != null && Objects.equals(existing.getData(), desired.getData())
                && Objects.equals(existing.getMetadata().getAnnotations(), desired.getMetadata().getAnnotations())
                && Objects.equals(existing.getMetadata().getLabels(), desired.getMetadata().getLabels())) {
            return;
        }
        client.secrets().inNamespace(desired.getMetadata().getNamespace()).resource(desired).createOr(NonDeletingOperation::update);
    }

    private static String encode(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }
}
