package io.conduit.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.conduit.api.v1alpha1.QueueBackendSpec;
import io.conduit.api.v1alpha1.RouteRuleSpec;
import java.util.List;
import java.util.Map;

/**
 * One accepted RouteRule, with its templates kept as written (the gateway compiles them). Exactly
 * one of {@code blob} / {@code queue} is set.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RouteConfig(
        String id,
        long generation,
        Match match,
        Blob blob,
        Queue queue,
        Respond respond,
        Enqueue onComplete,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean record,
        Boolean open,
        String tenant) {

    /** Served without a token even when the gateway declares auth ({@code auth: None} on the rule). */
    public boolean isPublic() {
        return Boolean.TRUE.equals(open);
    }

    public RouteConfig(String id, long generation, Match match, Blob blob, Queue queue, Respond respond, Enqueue onComplete) {
        this(id, generation, match, blob, queue, respond, onComplete, false, null, null);
    }

    /** {@code ws} is set for a WebSocket rule: its path takes upgrades, each message is one queued job. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Match(String method, String path, String contentType, List<Header> headers, WebSocket ws) {
        public Match {
            headers = headers == null ? List.of() : List.copyOf(headers);
        }

        public Match(String method, String path, String contentType, List<Header> headers) {
            this(method, path, contentType, headers, null);
        }
    }

    public record WebSocket(long maxMessageSize, long idleTimeoutMillis, long pingIntervalMillis) {
        public static final long DEFAULT_MAX_MESSAGE_SIZE = 1L << 20;
        public static final long DEFAULT_IDLE_TIMEOUT_MILLIS = 60_000;
        public static final long DEFAULT_PING_INTERVAL_MILLIS = 20_000;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Header(String name, String value, RouteRuleSpec.HeaderMatchType type) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Blob(String backend, String key, long maxSize, boolean computeHash) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Queue(String backend, String queue, JsonNode message, String jobName, Options options) {
    }

    /** Queue options; numbers may be templates, so they stay JSON until a request fills them. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Options(String jobId, JsonNode priority, JsonNode delay, JsonNode attempts,
                          QueueBackendSpec.Backoff backoff, Boolean lifo, String key) {
        public static final Options NONE = new Options(null, null, null, null, null, null, null);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Respond(int status, Map<String, String> headers, JsonNode body) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Enqueue(String backend, String to, JsonNode envelope) {
    }
}
