package io.conduit.operator.backend;

import io.conduit.api.v1alpha1.BackendStatus;
import io.conduit.api.v1alpha1.BlobBackend;
import io.conduit.operator.provision.Provisioning;
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
    private final Provisioning provisioning = new Provisioning();

    @Override
    public UpdateControl<BlobBackend> reconcile(BlobBackend backend, Context<BlobBackend> context) {
        BackendStatus before = backend.getStatus();
        UpdateControl<BlobBackend> ready = readiness.reconcile(backend, () -> BackendProbes.blob(backend, context.getClient()));
        // s3.provision is not built yet: refused with a condition rather than ignored.
        return provisioning.blob(backend, before, ready);
    }

    @Override
    public List<EventSource<?, BlobBackend>> prepareEventSources(EventSourceContext<BlobBackend> context) {
        return List.of(BackendSecrets.eventSource(BlobBackend.class, context));
    }
}
