package io.conduit.render;

import io.conduit.api.v1alpha1.BlobBackend;
import io.conduit.api.v1alpha1.EdgeGatewaySpec;
import io.conduit.api.v1alpha1.QueueBackend;
import io.conduit.config.BlobBackendConfig;
import io.conduit.config.QueueBackendConfig;
import io.conduit.config.RouteConfig;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Every backend of a resource set rendered once, by {@code namespace/name}: what a rule may refer to,
 * and, once the served routes are known, the backends (and credentials) the config must carry.
 */
final class BackendIndex implements RuleRenderer.Backends {
    private final Map<String, BackendRenderer.Rendered<BlobBackendConfig>> blobs = new HashMap<>();
    private final Map<String, BackendRenderer.Rendered<QueueBackendConfig>> queues = new HashMap<>();
    private final List<Problem> problems = new ArrayList<>();
    private final ResourceSet resources;
    private final EdgeGatewaySpec gateway;

    /** Backends the served routes use, each once, by name; the config lists them in that order. */
    record Used(List<BlobBackendConfig> blobs, List<QueueBackendConfig> queues) {
    }

    private BackendIndex(ResourceSet resources, EdgeGatewaySpec gateway) {
        this.resources = resources;
        this.gateway = gateway;
    }

    /** @param gateway the spec of the gateway rendered for (its default queue backend), or null */
    static BackendIndex of(ResourceSet resources, BackendRenderer renderer, EdgeGatewaySpec gateway) {
        BackendIndex index = new BackendIndex(resources, gateway);
        for (BlobBackend b : resources.blobBackends()) {
            index.blobs.put(key(b), index.noted(renderer.blob(b)));
        }
        index.refuseUnusableMirrors();
        for (QueueBackend q : resources.queueBackends()) {
            index.queues.put(key(q), index.noted(renderer.queue(q)));
        }
        return index;
    }

    /** The backends' own problems, in the order they were found (a folder reports them; a cluster reports them elsewhere). */
    List<Problem> problems() {
        return problems;
    }

    private <T> BackendRenderer.Rendered<T> noted(BackendRenderer.Rendered<T> rendered) {
        if (!rendered.ok()) {
            problems.add(rendered.problem());
        }
        return rendered;
    }

    /** A backend whose mirrors cannot be served is unusable itself: its copies would have nowhere to go. */
    private void refuseUnusableMirrors() {
        for (BlobBackend b : resources.blobBackends()) {
            var rendered = blobs.get(key(b));
            if (!rendered.ok() || rendered.config().mirrors() == null) {
                continue;
            }
            String ns = ResourceId.namespaceOf(b);
            for (String m : rendered.config().mirrors()) {
                var mirror = blobs.get(ns + "/" + m);
                if (mirror == null || !mirror.ok()) {
                    Problem problem = new Problem(ResourceId.of(b), Problem.BACKEND_NOT_FOUND, "mirror BlobBackend " + m
                            + (mirror == null ? " does not exist in namespace " + ns : " is not usable: " + mirror.problem().message()));
                    blobs.put(key(b), new BackendRenderer.Rendered<>(null, Map.of(), problem));
                    problems.add(problem);
                    break;
                }
            }
        }
    }

    @Override
    public Optional<BlobBackendConfig> blob(String ns, String name) {
        return Optional.ofNullable(blobs.get(ns + "/" + name)).map(BackendRenderer.Rendered::config);
    }

    @Override
    public Optional<QueueBackendConfig> queue(String ns, String name) {
        return Optional.ofNullable(queues.get(ns + "/" + name)).map(BackendRenderer.Rendered::config);
    }

    @Override
    public Optional<Problem> unusable(String kind, String ns, String name) {
        var rendered = kind.equals("BlobBackend") ? blobs.get(ns + "/" + name) : queues.get(ns + "/" + name);
        return Optional.ofNullable(rendered).map(BackendRenderer.Rendered::problem);
    }

    @Override
    public Optional<String> defaultQueue(String ns) {
        if (gateway != null && gateway.defaultQueueBackendRef() != null) {
            return Optional.ofNullable(gateway.defaultQueueBackendRef().name());
        }
        List<String> inNamespace = resources.queueBackends().stream()
                .filter(q -> ns.equals(ResourceId.namespaceOf(q)))
                .map(q -> q.getMetadata().getName()).toList();
        return inNamespace.size() == 1 ? Optional.of(inNamespace.get(0)) : Optional.empty();
    }

    /** Only what served routes use goes into the config, its credentials into {@code credentials}. */
    Used usedBy(List<RouteConfig> routes, Map<String, Map<String, String>> credentials) {
        Map<String, BlobBackendConfig> usedBlobs = new TreeMap<>();
        Map<String, QueueBackendConfig> usedQueues = new TreeMap<>();
        for (RouteConfig route : routes) {
            String ns = route.id().substring(0, route.id().indexOf('/'));
            if (route.blob() != null) {
                var blob = blobs.get(ns + "/" + route.blob().backend());
                use(blob, usedBlobs, credentials);
                // Mirrors are written to by the gateway too, so they come along with their credentials.
                blob.config().mirrors().forEach(m -> use(blobs.get(ns + "/" + m), usedBlobs, credentials));
            } else {
                use(queues.get(ns + "/" + route.queue().backend()), usedQueues, credentials);
            }
            if (route.onComplete() != null) {
                use(queues.get(ns + "/" + route.onComplete().backend()), usedQueues, credentials);
            }
        }
        return new Used(List.copyOf(usedBlobs.values()), List.copyOf(usedQueues.values()));
    }

    private static <T> void use(BackendRenderer.Rendered<T> rendered, Map<String, T> used,
                                Map<String, Map<String, String>> credentials) {
        T config = rendered.config();
        String name = config instanceof BlobBackendConfig b ? b.name() : ((QueueBackendConfig) config).name();
        used.put(name, config);
        credentials.putAll(rendered.credentials());
    }

    private static String key(HasMetadata resource) {
        return ResourceId.namespaceOf(resource) + "/" + resource.getMetadata().getName();
    }
}
