package io.conduit.operator;

import io.conduit.api.v1alpha1.BlobBackend;
import io.conduit.api.v1alpha1.EdgeGateway;
import io.conduit.api.v1alpha1.QueueBackend;
import io.conduit.render.ProvisionedCredentials;
import io.conduit.api.v1alpha1.SecretRef;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The user Secrets the operator reads: only those a backend or gateway names, each by name. RBAC cannot
 * narrow list/watch to names, so the operator narrows itself: it never lists Secrets at large, its Secret
 * informers select by label (its own Secrets, and user Secrets labelled {@link #WATCH_LABEL}{@code =true},
 * whose changes reconcile at once), and any other referenced Secret is read with {@code get} on each
 * reconciliation, the periodic one included, so a rotation converges without a label too.
 */
public final class ReferencedSecrets {
    /** On a user Secret: changes reach gateways and backends at once instead of at the next periodic reconciliation. */
    public static final String WATCH_LABEL = "conduit.io/watched";
    public static final String WATCH_SELECTOR = WATCH_LABEL + "=true";

    private ReferencedSecrets() {
    }

    /** A Secret by namespace and name; ordered so reads and renders see the same order every time. */
    public record Ref(String namespace, String name) implements Comparable<Ref> {
        private static final Comparator<Ref> ORDER = Comparator.comparing(Ref::namespace).thenComparing(Ref::name);

        @Override
        public int compareTo(Ref other) {
            return ORDER.compare(this, other);
        }
    }

    /** Every Secret the backends and gateways name (each in its own namespace), and the gateways' provisioned identities. */
    public static Set<Ref> of(List<BlobBackend> blobs, List<QueueBackend> queues, List<EdgeGateway> gateways) {
        Set<Ref> refs = new TreeSet<>();
        for (BlobBackend b : blobs) {
            var spec = b.getSpec();
            add(refs, b, spec == null || spec.s3() == null ? null : spec.s3().credentialsSecretRef());
        }
        for (QueueBackend q : queues) {
            var spec = q.getSpec();
            if (spec == null) {
                continue;
            }
            add(refs, q, spec.redis() == null ? null : spec.redis().credentialsSecretRef());
            if (spec.kafka() != null) {
                add(refs, q, spec.kafka().credentialsSecretRef());
                add(refs, q, spec.kafka().idempotencyRedis() == null ? null : spec.kafka().idempotencyRedis().credentialsSecretRef());
            }
        }
        for (EdgeGateway g : gateways) {
            var spec = g.getSpec();
            add(refs, g, spec == null || spec.auth() == null ? null : spec.auth().tokensSecretRef());
            // A backend whose users the operator provisions logs each gateway in with its own identity.
            for (QueueBackend q : queues) {
                if (q.getSpec() != null && ProvisionedCredentials.redisAclUsers(q.getSpec().redis())) {
                    refs.add(new Ref(q.getMetadata().getNamespace(), ProvisionedCredentials.redisGatewaySecret(
                            q.getMetadata().getName(), g.getMetadata().getNamespace(), g.getMetadata().getName())));
                }
            }
        }
        return refs;
    }

    private static void add(Set<Ref> refs, HasMetadata owner, SecretRef ref) {
        if (ref != null && ref.name() != null && !ref.name().isBlank()) {
            refs.add(new Ref(owner.getMetadata().getNamespace(), ref.name()));
        }
    }

    /** The named Secrets that exist: from {@code watched} (the labelled ones' cache) where it has them, else by {@code get}. */
    public static List<Secret> read(Set<Ref> refs, Function<Ref, Optional<Secret>> watched, KubernetesClient client) {
        List<Secret> secrets = new ArrayList<>();
        for (Ref ref : refs) {
            watched.apply(ref)
                    .or(() -> Optional.ofNullable(client.secrets().inNamespace(ref.namespace()).withName(ref.name()).get()))
                    .ifPresent(secrets::add);
        }
        return secrets;
    }
}
