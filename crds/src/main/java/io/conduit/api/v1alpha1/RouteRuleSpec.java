package io.conduit.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.conduit.api.Durations;
import io.conduit.api.Quantities;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.List;
import java.util.Map;

/**
 * A rule in the vocabulary of seed 000: {@code when} a request matches, {@code send} its body to a
 * blob or a queue, {@code respond}, and optionally enqueue a follow-up envelope {@code onComplete}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RouteRuleSpec(
        @JsonPropertyDescription("EdgeGateways that serve this rule.") List<GatewayRef> gatewayRefs,
        @Required When when,
        @Required Send send,
        OnComplete onComplete,
        @JsonPropertyDescription("Record this rule's requests for replay (see the EdgeGateway's record settings).")
        Boolean record,
        @JsonPropertyDescription("Whether callers need a token when the gateway declares auth: Required (default) or None (public).")
        RouteAuth auth,
        @JsonPropertyDescription("Serve this rule only to this tenant (a key of the gateway's tokens Secret); on the same match it overrides the shared rule for that tenant.")
        String tenant) {

    /** The same rule attached to other gateways (or, with null, to none). */
    public RouteRuleSpec withGatewayRefs(List<GatewayRef> refs) {
        return new RouteRuleSpec(refs, when, send, onComplete, record, auth, tenant);
    }

    public enum RouteAuth {
        Required, None
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record GatewayRef(@Required String name,
                             @JsonPropertyDescription("Defaults to the rule's namespace.") String namespace) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(value = "has(self.http) != has(self.ws)", message = "exactly one of when.http and when.ws must be set")
    public record When(HttpMatch http,
                       @JsonPropertyDescription("WebSocket ingest: every message on a connection to this path is queued.")
                       WsMatch ws) {
        /** An HTTP rule. */
        public When(HttpMatch http) {
            this(http, null);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WsMatch(
            @Required @Pattern("^/.*") @JsonPropertyDescription("Exact (/events), prefix (/ws/**) or template (/ws/{device}).")
            String path,
            @Pattern(Quantities.PATTERN) @JsonPropertyDescription("Largest message accepted (default 1Mi); a larger one closes the connection with 1009.")
            String maxMessageSize,
            @Pattern(Durations.PATTERN) @JsonPropertyDescription("Close a connection silent this long (default 60s).")
            String idleTimeout,
            @Pattern(Durations.PATTERN) @JsonPropertyDescription("Ping the client this often (default 20s).")
            String pingInterval) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record HttpMatch(
            @Pattern("^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)$") @JsonPropertyDescription("HTTP method; any when unset.") String method,
            @Required @Pattern("^/.*") @JsonPropertyDescription("Exact (/upload), prefix (/files/**) or template (/orders/{id}).")
            String path,
            @JsonPropertyDescription("Media type, e.g. multipart/form-data, application/json or image/*.") String contentType,
            List<HeaderMatch> headers) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(value = "has(self.type) && self.type == 'Present' || has(self.value)",
            message = "value is required unless type is Present")
    public record HeaderMatch(@Required String name, String value, HeaderMatchType type) {
    }

    public enum HeaderMatchType {
        Exact, RegularExpression, Present
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(value = "has(self.blob) != has(self.queue)", message = "exactly one of send.blob and send.queue must be set")
    public record Send(SendBlob blob, SendQueue queue, Respond respond) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SendBlob(
            @Required @JsonPropertyDescription("BlobBackend in the rule's namespace, e.g. {name: uploads}.") LocalObjectReference backendRef,
            @JsonPropertyDescription("Key template overriding the backend's layout, e.g. \"tenants/{$path.tenant}/{blobId}\".") String key,
            @Pattern(Quantities.PATTERN) String maxSize,
            @JsonPropertyDescription("Compute sha256 while streaming (default true).") Boolean computeHash) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SendQueue(
            @JsonPropertyDescription("QueueBackend in the rule's namespace, e.g. {name: jobs}; the gateway's default queue backend when unset.") LocalObjectReference backendRef,
            @Required @JsonPropertyDescription("Queue (or topic / stream) name; may use {...} placeholders.") String queue,
            @JsonPropertyDescription("Message template, default $body.") JsonNode message,
            @JsonPropertyDescription("Job name (BullMQ); default the queue name.") String jobName,
            QueueOptions options) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record QueueOptions(
            @JsonPropertyDescription("Job id template; a repeat with the same id is stored once.") String jobId,
            @JsonPropertyDescription("1 (highest) .. 2097151, or a template.") IntOrString priority,
            @JsonPropertyDescription("Delay in milliseconds, or a template.") IntOrString delay,
            IntOrString attempts,
            QueueBackendSpec.Backoff backoff,
            Boolean lifo,
            @JsonPropertyDescription("Record key template (Kafka); default the job id.") String key) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Respond(@Required HttpRespond http) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record HttpRespond(
            @Min(200) @Max(299) Integer status,
            Map<String, String> headers,
            @JsonPropertyDescription("Body template; references such as $blobRef are replaced.") JsonNode body) {
    }

    public record OnComplete(@Required Enqueue enqueue) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Enqueue(
            @JsonPropertyDescription("QueueBackend in the rule's namespace, e.g. {name: events}; the gateway's default queue backend when unset.") LocalObjectReference backendRef,
            @Required @JsonPropertyDescription("Queue the envelope goes to.") String to,
            @Required @JsonPropertyDescription("Envelope template, e.g. {type: file_uploaded, payload: {blobRef: $blobRef}}.")
            JsonNode envelope) {
    }
}
