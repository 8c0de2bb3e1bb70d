package io.conduit.operator.provision;

import io.conduit.api.v1alpha1.EdgeGateway;
import io.conduit.api.v1alpha1.QueueBackend;
import io.conduit.api.v1alpha1.RouteRule;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Which gateways use a backend changes with gateways and rules, not with the backend: a gateway or rule created,
 * changed (spec, or a rotation annotation) or deleted re-provisions the QueueBackends of its namespace, which is
 * also how a deleted gateway's user goes.
 */
public final class ProvisionEventSources {
    private ProvisionEventSources() {
    }

    public static List<EventSource<?, QueueBackend>> forQueueBackends(EventSourceContext<QueueBackend> context) {
        return List.of(namespaceWide(EdgeGateway.class, "provision-gateways", context),
                namespaceWide(RouteRule.class, "provision-rules", context));
    }

    private static <R extends HasMetadata> InformerEventSource<R, QueueBackend> namespaceWide(Class<R> type, String name,
                                                                                               EventSourceContext<QueueBackend> context) {
        var config = InformerEventSourceConfiguration.from(type, QueueBackend.class)
                .withName(name)
                .withSecondaryToPrimaryMapper((R resource) -> context.getPrimaryCache().list(resource.getMetadata().getNamespace())
                        .map(ResourceID::fromResource).collect(Collectors.toSet()))
                // Status writes (gateways write theirs every few seconds) change nothing provisioning reads.
                .withOnUpdateFilter((R newer, R older) -> !Objects.equals(newer.getMetadata().getGeneration(), older.getMetadata().getGeneration())
                        || !Objects.equals(Rotation.of(newer), Rotation.of(older)))
                .build();
        return new InformerEventSource<>(config, context);
    }
}
