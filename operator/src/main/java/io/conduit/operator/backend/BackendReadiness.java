package io.conduit.operator.backend;

import io.conduit.api.v1alpha1.BackendStatus;
import io.conduit.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The {@code Ready} condition of a backend from a connectivity check: Unknown when first seen, then
 * the check's verdict. Failed checks are retried with exponential backoff (5 s doubling to 5 min);
 * a Ready backend is checked again every 5 minutes, so an outage shows without a change to the resource.
 */
final class BackendReadiness {
    static final String READY = "Ready";
    static final Duration FIRST_RETRY = Duration.ofSeconds(5);
    static final Duration MAX_RETRY = Duration.ofMinutes(5);
    static final Duration RECHECK = Duration.ofMinutes(5);

    private final Map<ResourceID, Integer> failures = new ConcurrentHashMap<>();

    <R extends CustomResource<?, BackendStatus>> UpdateControl<R> reconcile(R backend, Supplier<Probe> check) {
        long generation = backend.getMetadata().getGeneration() == null ? 0 : backend.getMetadata().getGeneration();
        List<Condition> previous = backend.getStatus() == null || backend.getStatus().conditions() == null ? List.of()
                : backend.getStatus().conditions();
        if (previous.isEmpty()) {
            backend.setStatus(new BackendStatus(generation, new Conditions(List.of(), generation)
                    .unknown(READY, "Checking", "connectivity check in progress").list()));
            return UpdateControl.patchStatus(backend).rescheduleAfter(Duration.ofMillis(50));
        }
        ResourceID id = ResourceID.fromResource(backend);
        Probe probe = check.get();
        Duration next;
        String message = probe.message();
        if (probe.ok()) {
            failures.remove(id);
            next = RECHECK;
        } else {
            int attempt = failures.merge(id, 1, Integer::sum);
            next = backoff(attempt);
            message = message + " (retrying with backoff)";
        }
        BackendStatus status = new BackendStatus(generation,
                new Conditions(previous, generation).set(READY, probe.ok(), probe.reason(), message).list());
        boolean changed = !status.equals(backend.getStatus());
        backend.setStatus(status);
        return (changed ? UpdateControl.patchStatus(backend) : UpdateControl.<R>noUpdate()).rescheduleAfter(next);
    }

    static Duration backoff(int attempt) {
        Duration d = FIRST_RETRY.multipliedBy(1L << Math.min(attempt - 1, 10));
        return d.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : d;
    }
}
