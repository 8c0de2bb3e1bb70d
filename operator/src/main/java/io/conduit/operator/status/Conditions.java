package io.conduit.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Conditions in the Kubernetes API conventions: keyed by type, each stamped with the generation it
 * describes, and {@code lastTransitionTime} moved only when the status actually flips.
 */
public final class Conditions {
    private final Map<String, Condition> byType = new LinkedHashMap<>();
    private final long generation;

    public Conditions(List<Condition> previous, long generation) {
        this.generation = generation;
        if (previous != null) {
            previous.forEach(c -> byType.put(c.getType(), c));
        }
    }

    public Conditions set(String type, boolean status, String reason, String message) {
        return put(type, status ? "True" : "False", reason, message);
    }

    public Conditions unknown(String type, String reason, String message) {
        return put(type, "Unknown", reason, message);
    }

    private Conditions put(String type, String status, String reason, String message) {
        Condition old = byType.get(type);
        String transition = old != null && status.equals(old.getStatus()) && old.getLastTransitionTime() != null
                ? old.getLastTransitionTime()
                : Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        byType.put(type, new ConditionBuilder()
                .withType(type)
                .withStatus(status)
                .withReason(reason)
                .withMessage(message)
                .withObservedGeneration(generation)
                .withLastTransitionTime(transition)
                .build());
        return this;
    }

    public List<Condition> list() {
        return new ArrayList<>(byType.values());
    }
}
