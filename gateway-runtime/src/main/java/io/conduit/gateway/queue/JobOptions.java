package io.conduit.gateway.queue;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.conduit.api.v1alpha1.QueueBackendSpec;

/** Job options after templates ran and backend defaults applied; null means "not set". */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobOptions(
        Integer priority,
        Long delay,
        Integer attempts,
        QueueBackendSpec.Backoff backoff,
        Boolean lifo,
        JsonNode removeOnComplete,
        JsonNode removeOnFail,
        String key) {
    public static final JobOptions NONE = new JobOptions(null, null, null, null, null, null, null, null);
}
