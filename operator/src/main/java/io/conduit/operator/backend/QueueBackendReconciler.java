package io.conduit.operator.backend;

import io.conduit.api.v1alpha1.BackendStatus;
import io.conduit.api.v1alpha1.QueueBackend;
import io.conduit.operator.provision.ProvisionEventSources;
import io.conduit.operator.provision.Provisioning;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code Ready} of a QueueBackend: PING with AUTH (redis), describeCluster (kafka), nothing to reach (spool); then
 * what {@code provision} declares ({@link Provisioning}).
 */
@ControllerConfiguration
public class QueueBackendReconciler implements Reconciler<QueueBackend> {
    private final BackendReadiness readiness = new BackendReadiness();
    private final Provisioning provisioning = new Provisioning();

    @Override
    public UpdateControl<QueueBackend> reconcile(QueueBackend backend, Context<QueueBackend> context) {
        BackendStatus before = backend.getStatus();
        UpdateControl<QueueBackend> ready = readiness.reconcile(backend, () -> BackendProbes.queue(backend, context.getClient()));
        return provisioning.queue(backend, before, ready, context.getClient());
    }

    @Override
    public List<EventSource<?, QueueBackend>> prepareEventSources(EventSourceContext<QueueBackend> context) {
        List<EventSource<?, QueueBackend>> sources = new ArrayList<>(List.of(BackendSecrets.eventSource(QueueBackend.class, context)));
        sources.addAll(ProvisionEventSources.forQueueBackends(context));
        return sources;
    }
}
