package io.conduit.operator.backend;

import io.conduit.api.v1alpha1.BlobBackend;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import java.util.List;

/** {@code Ready} of a BlobBackend: HeadBucket with its credentials (s3), nothing to reach (local). */
@ControllerConfiguration
public class BlobBackendReconciler implements Reconciler<BlobBackend> {
    private final BackendReadiness readiness = new BackendReadiness();

    @Override
    public UpdateControl<BlobBackend> reconcile(BlobBackend backend, Context<BlobBackend> context) {
        return readiness.reconcile(backend, () -> BackendProbes.blob(backend, context.getClient()));
    }

    @Override
    public List<EventSource<?, BlobBackend>> prepareEventSources(EventSourceContext<BlobBackend> context) {
        return List.of(BackendSecrets.eventSource(BlobBackend.class, context));
    }
}
