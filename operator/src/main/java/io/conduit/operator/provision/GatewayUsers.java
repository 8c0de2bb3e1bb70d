package io.conduit.operator.provision;

import java.util.Optional;
import java.util.TreeSet;
import java.util.Set;
import io.conduit.operator.ReferencedSecrets;
import io.conduit.api.v1alpha1.EdgeGateway;
import io.conduit.api.v1alpha1.QueueBackend;
import io.conduit.config.GatewayConfig;
import io.conduit.config.QueueBackendConfig;
import io.conduit.operator.gateway.GatewayRendering;
import io.conduit.render.ProvisionedCredentials;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The EdgeGateways of a Redis backend's namespace that serve a rule writing to it. Found by rendering each gateway
 * as if its user existed already (a stand-in Secret): the renderer alone knows which rules a gateway serves, and
 * without the stand-in a not-yet-provisioned backend would keep its rules out and never get its user.
 */
final class GatewayUsers {
    /** A gateway using the backend, and whether its global rate limits live in this Redis. */
    record Use(EdgeGateway gateway, boolean globalRateLimits) {
        String namespace() {
            return gateway.getMetadata().getNamespace();
        }

        String name() {
            return gateway.getMetadata().getName();
        }
    }

    private GatewayUsers() {
    }

    static List<Use> of(QueueBackend backend, KubernetesClient client) {
        String ns = backend.getMetadata().getNamespace();
        String name = backend.getMetadata().getName();
        List<Use> uses = new ArrayList<>();
        for (EdgeGateway gateway : client.resources(EdgeGateway.class).inNamespace(ns).list().getItems()) {
            if (gateway.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            Secret standIn = new SecretBuilder().withNewMetadata()
                    .withName(ProvisionedCredentials.redisGatewaySecret(name, ns, gateway.getMetadata().getName()))
                    .withNamespace(ns).endMetadata()
                    .addToStringData("username", "stand-in").addToStringData("password", "stand-in").build();
            GatewayConfig config = GatewayRendering.render(gateway, new GatewayRendering.Source() {
                @Override
                public <T extends HasMetadata> List<T> list(Class<T> type, String namespace) {
                    return client.resources(type).inNamespace(ns).list().getItems();
                }

                @Override
                public List<Secret> secrets(Set<ReferencedSecrets.Ref> refs) {
                    Set<ReferencedSecrets.Ref> others = new TreeSet<>(refs);
                    others.remove(new ReferencedSecrets.Ref(ns, standIn.getMetadata().getName()));
                    List<Secret> secrets = new ArrayList<>(ReferencedSecrets.read(others, ref -> Optional.empty(), client));
                    secrets.add(standIn);
                    return secrets;
                }
            }).config();
            if (config.queueBackends().stream().anyMatch(q -> q.name().equals(name))) {
                uses.add(new Use(gateway, globalRateLimitsHere(config, name)));
            }
        }
        return uses;
    }

    /** The gateway keeps global buckets in its first Redis queue backend by name (EdgeGuard#redisBackend). */
    private static boolean globalRateLimitsHere(GatewayConfig config, String backend) {
        boolean global = config.edge() != null && config.edge().rateLimits().stream().anyMatch(r -> r.global());
        return global && config.queueBackends().stream()
                .filter(q -> q.type() == io.conduit.api.v1alpha1.QueueBackendSpec.Type.REDIS)
                .map(QueueBackendConfig::name).min(Comparator.naturalOrder())
                .filter(backend::equals).isPresent();
    }
}
