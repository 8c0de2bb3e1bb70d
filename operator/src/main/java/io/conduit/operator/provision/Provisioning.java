package io.conduit.operator.provision;

import io.conduit.api.v1alpha1.BackendStatus;
import io.conduit.api.v1alpha1.BlobBackend;
import io.conduit.api.v1alpha1.QueueBackend;
import io.conduit.api.v1alpha1.QueueBackendSpec;
import io.conduit.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the backend reconcilers call after their readiness check: runs the provisioning steps the backend declares
 * and adds one condition per step to the status the check wrote. Failed steps are retried with backoff (5 s doubling
 * to 5 min); succeeded ones are redone every 5 minutes, which also puts back a user changed by hand in the store.
 */
public final class Provisioning {
    static final Set<String> CONDITIONS = Set.of(RedisProvisioner.CONDITION, NotBuilt.CONDITION);
    static final Duration FIRST_RETRY = Duration.ofSeconds(5);
    static final Duration MAX_RETRY = Duration.ofMinutes(5);

    private final Map<ResourceID, Integer> failures = new ConcurrentHashMap<>();

    public UpdateControl<QueueBackend> queue(QueueBackend backend, BackendStatus before, UpdateControl<QueueBackend> control,
                                             KubernetesClient client) {
        List<Step> steps = new ArrayList<>();
        NotBuilt.of(backend).ifPresent(steps::add);
        QueueBackendSpec spec = backend.getSpec();
        if (spec != null && spec.type() == QueueBackendSpec.Type.REDIS && spec.redis() != null && spec.redis().provision() != null) {
            steps.add(RedisProvisioner.reconcile(backend, client));
        }
        return merge(backend, before, control, steps);
    }

    public UpdateControl<BlobBackend> blob(BlobBackend backend, BackendStatus before, UpdateControl<BlobBackend> control) {
        return merge(backend, before, control, NotBuilt.of(backend).map(List::of).orElse(List.of()));
    }

    private <R extends CustomResource<?, BackendStatus>> UpdateControl<R> merge(R backend, BackendStatus before,
                                                                                 UpdateControl<R> control, List<Step> steps) {
        BackendStatus status = backend.getStatus();
        if (status == null || (steps.isEmpty() && status.conditions().stream().noneMatch(c -> CONDITIONS.contains(c.getType())))) {
            return control;
        }
        long generation = backend.getMetadata().getGeneration() == null ? 0 : backend.getMetadata().getGeneration();
        // Conditions of steps no longer declared go; the rest is the readiness check's.
        List<Condition> kept = new ArrayList<>(status.conditions().stream()
                .filter(c -> !CONDITIONS.contains(c.getType()) || steps.stream().anyMatch(s -> s.condition().equals(c.getType())))
                .toList());
        Conditions conditions = new Conditions(kept, generation);
        steps.forEach(s -> conditions.set(s.condition(), s.ok(), s.reason(), s.message()));
        BackendStatus merged = new BackendStatus(status.observedGeneration(), conditions.list());
        backend.setStatus(merged);
        UpdateControl<R> result = merged.equals(before) ? UpdateControl.noUpdate() : UpdateControl.patchStatus(backend);
        ResourceID id = ResourceID.fromResource(backend);
        // A refused (not built) field is not retried: only a change of the resource can alter it.
        boolean failed = steps.stream().anyMatch(s -> !s.ok() && !s.condition().equals(NotBuilt.CONDITION));
        Duration next = control.getScheduleDelay().map(Duration::ofMillis).orElse(MAX_RETRY);
        if (failed) {
            Duration retry = backoff(failures.merge(id, 1, Integer::sum));
            next = retry.compareTo(next) < 0 ? retry : next;
        } else {
            failures.remove(id);
        }
        return result.rescheduleAfter(next);
    }

    static Duration backoff(int attempt) {
        Duration d = FIRST_RETRY.multipliedBy(1L << Math.min(attempt - 1, 10));
        return d.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : d;
    }
}
