package io.conduit.operator.backend;

import io.conduit.api.v1alpha1.QueueBackend;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.util.List;

/** {@code Ready} of a QueueBackend: PING with AUTH (redis), describeCluster (kafka), nothing to reach (spool). */
@ControllerConfiguration
public class QueueBackendReconciler implements Reconciler<QueueBackend> {
    private final BackendReadiness readiness = new BackendReadiness();

    @Override
    public UpdateControl<QueueBackend> reconcile(QueueBackend backend, Context<QueueBackend> context) {
        return readiness.reconcile(backend, () -> BackendProbes.queue(backend, context.getClient()));
    }

    @Override
    public List<EventSource<?, QueueBackend>> prepareEventSources(EventSourceContext<QueueBackend> context) {
        return List.of(BackendSecrets.eventSource(QueueBackend.class, context));
    }
}
