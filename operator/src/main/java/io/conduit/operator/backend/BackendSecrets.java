package io.conduit.operator.backend;

import io.conduit.operator.ReferencedSecrets;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.stream.Collectors;

/**
 * A watched Secret (labelled {@link ReferencedSecrets#WATCH_LABEL}{@code =true}) changing re-checks the backends of
 * its namespace: rotated credentials show at once. Unlabelled Secrets are never listed; the periodic recheck
 * reads them by name.
 */
final class BackendSecrets {
    private BackendSecrets() {
    }

    static <P extends HasMetadata> InformerEventSource<Secret, P> eventSource(Class<P> backend, EventSourceContext<P> context) {
        var config = InformerEventSourceConfiguration.from(Secret.class, backend)
                .withName("backend-secrets")
                .withLabelSelector(ReferencedSecrets.WATCH_SELECTOR)
                .withSecondaryToPrimaryMapper((Secret secret) -> context.getPrimaryCache()
                        .list(secret.getMetadata().getNamespace())
                        .map(ResourceID::fromResource)
                        .collect(Collectors.toSet()))
                .build();
        return new InformerEventSource<>(config, context);
    }
}
