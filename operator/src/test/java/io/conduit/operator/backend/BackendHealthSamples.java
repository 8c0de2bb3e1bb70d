package io.conduit.operator.backend;

import io.conduit.api.v1alpha1.BackendStatus;
import io.conduit.api.v1alpha1.BlobBackend;
import io.conduit.api.v1alpha1.QueueBackend;
import io.conduit.operator.HealthSample;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * BlobBackend and QueueBackend statuses as {@link BackendReadiness} writes them, from the real checks of
 * {@link BackendProbes} (the degraded one: a credentials Secret that does not exist, read through {@code client}).
 */
public final class BackendHealthSamples {
    private BackendHealthSamples() {
    }

    static <R extends CustomResource<?, BackendStatus>> List<HealthSample> of(Class<R> type, String healthy, String degraded,
                                                                               Function<R, Probe> check) {
        List<HealthSample> samples = new ArrayList<>();
        samples.add(new HealthSample("progressing-no-status", read(type, healthy, 1), "Progressing",
                "Waiting for the Conduit operator to report status"));
        R checking = read(type, healthy, 1);
        new BackendReadiness().reconcile(checking, () -> check.apply(checking));
        samples.add(new HealthSample("progressing-checking", checking, "Progressing", message(checking)));
        R ok = checked(type, healthy, check);
        samples.add(new HealthSample("healthy", ok, "Healthy", message(ok)));
        R failed = checked(type, degraded, check);
        samples.add(new HealthSample("degraded", failed, "Degraded", message(failed)));
        R stale = checked(type, degraded, check);
        stale.getMetadata().setGeneration(2L);
        samples.add(new HealthSample("progressing-generation", stale, "Progressing",
                "Waiting for the Conduit operator to observe generation 2"));
        return samples;
    }

    private static <R extends CustomResource<?, BackendStatus>> R checked(Class<R> type, String spec, Function<R, Probe> check) {
        R backend = read(type, spec, 1);
        BackendReadiness readiness = new BackendReadiness();
        readiness.reconcile(backend, () -> check.apply(backend));
        readiness.reconcile(backend, () -> check.apply(backend));
        return backend;
    }

    private static <R extends CustomResource<?, BackendStatus>> R read(Class<R> type, String spec, long generation) {
        return Serialization.unmarshal("""
                apiVersion: conduit.io/v1alpha1
                kind: %s
                metadata: {name: %s, namespace: issues, generation: %d}
                spec: %s
                """.formatted(type.getSimpleName(), type == BlobBackend.class ? "attachments" : "jobs", generation, spec), type);
    }

    private static String message(CustomResource<?, BackendStatus> backend) {
        return backend.getStatus().conditions().stream().filter(c -> c.getType().equals(BackendReadiness.READY))
                .findFirst().orElseThrow().getMessage();
    }

    public static List<HealthSample> blob(KubernetesClient client) {
        return of(BlobBackend.class, "{type: local, local: {path: /data/blobs}}",
                "{type: s3, s3: {bucket: attachments, endpoint: \"https://s3.example.com\", credentialsSecretRef: {name: s3-credentials}}}",
                b -> BackendProbes.blob(b, client));
    }

    public static List<HealthSample> queue(KubernetesClient client) {
        return of(QueueBackend.class, "{type: spool, spool: {path: /data/queues}}",
                "{type: redis, redis: {url: \"rediss://redis.example.com:6380\", credentialsSecretRef: {name: redis-credentials}}}",
                q -> BackendProbes.queue(q, client));
    }
}
