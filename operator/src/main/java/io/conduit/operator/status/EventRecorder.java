package io.conduit.operator.status;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Events (core/v1, what {@code kubectl describe} and {@code kubectl get events} show) for
 * notable transitions. Best effort: an Event that cannot be written is logged, never fails a reconciliation.
 */
public final class EventRecorder {
    public static final String COMPONENT = "conduit-operator";
    private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);

    private EventRecorder() {
    }

    public static void normal(KubernetesClient client, HasMetadata about, String reason, String message) {
        record(client, about, "Normal", reason, message);
    }

    public static void warning(KubernetesClient client, HasMetadata about, String reason, String message) {
        record(client, about, "Warning", reason, message);
    }

    private static void record(KubernetesClient client, HasMetadata about, String type, String reason, String message) {
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        String ns = about.getMetadata().getNamespace();
        // Events are named <object>.<unique suffix>, as kubectl's recorders do.
        String name = about.getMetadata().getName() + "." + Long.toHexString(System.currentTimeMillis())
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
        try {
            client.v1().events().inNamespace(ns).resource(new EventBuilder()
                    .withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                    .withInvolvedObject(new ObjectReferenceBuilder()
                            .withApiVersion(about.getApiVersion()).withKind(about.getKind())
                            .withName(about.getMetadata().getName()).withNamespace(ns)
                            .withUid(about.getMetadata().getUid()).withResourceVersion(about.getMetadata().getResourceVersion())
                            .build())
                    .withType(type)
                    .withReason(reason)
                    .withMessage(message.length() > 1000 ? message.substring(0, 1000) + "..." : message)
                    .withFirstTimestamp(now)
                    .withLastTimestamp(now)
                    .withCount(1)
                    .withNewSource().withComponent(COMPONENT).endSource()
                    .withReportingComponent("conduit.io/operator")
                    .withReportingInstance(COMPONENT)
                    .build()).create();
        } catch (RuntimeException e) {
            LOG.warn("could not record event {} on {} {}/{}: {}", reason, about.getKind(), ns, about.getMetadata().getName(),
                    e.getMessage());
        }
    }
}
