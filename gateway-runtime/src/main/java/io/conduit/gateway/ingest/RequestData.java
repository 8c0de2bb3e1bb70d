package io.conduit.gateway.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.conduit.gateway.edge.logging.Exchange;
import io.conduit.gateway.edge.metrics.Metrics;
import io.conduit.gateway.queue.MessagePayload;
import io.conduit.template.Context;
import io.conduit.template.Name;
import io.conduit.template.Root;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What templates may read of one request. Each root is built when a template first reads it (most
 * rules read none of the headers, yet turning them all into JSON for every request cost more than
 * the rule); {@link #context} adds what later steps produced. Not thread-safe: used by one step of
 * the request at a time (on its event loop, or where a backend call completed), each after the other.
 */
final class RequestData {
    private final HttpServerRequest request;
    private final Exchange exchange;
    private final Map<String, String> pathVariables;
    private final String requestId;
    private final String tenant;
    private final long receivedAtMillis = System.currentTimeMillis();
    private ObjectNode headers;
    private ObjectNode query;
    private ObjectNode path;
    private ObjectNode requestNode;

    private RequestData(HttpServerRequest request, Exchange exchange, Map<String, String> pathVariables, String requestId) {
        this.request = request;
        this.exchange = exchange;
        this.pathVariables = pathVariables;
        this.requestId = requestId;
        this.tenant = Metrics.NO_TENANT.equals(exchange.tenant()) ? null : exchange.tenant();
    }

    static RequestData of(HttpServerRequest request, Exchange exchange, Map<String, String> pathVariables) {
        return of(request, exchange, pathVariables, exchange.requestId());
    }

    static RequestData of(HttpServerRequest request, Exchange exchange, Map<String, String> pathVariables, String requestId) {
        return new RequestData(request, exchange, pathVariables, requestId);
    }

    String requestId() {
        return requestId;
    }

    String tenant() {
        return tenant;
    }

    Exchange exchange() {
        return exchange;
    }

    /**
     * The templates' view of the request, with {@code body} as {@code $body} (null: none yet) and what
     * later steps {@code produced} (the blobRef, the queueRef), each built only if a template reads it.
     */
    Context context(MessagePayload body, Map<Root, Supplier<JsonNode>> produced, Map<Name, String> names) {
        Map<Name, String> allNames = new EnumMap<>(Name.class);
        allNames.put(Name.REQUEST_ID, requestId);
        if (tenant != null) {
            allNames.put(Name.TENANT, tenant);
        }
        allNames.putAll(names);
        return new Context(root -> switch (root) {
            case HEADERS -> headers();
            case QUERY -> query();
            case PATH -> pathVariables();
            case BODY -> body == null ? NullNode.getInstance() : body.tree();
            case REQUEST -> requestNode();
            case TENANT -> tenant == null ? NullNode.getInstance() : TextNode.valueOf(tenant);
            default -> {
                Supplier<JsonNode> value = produced.get(root);
                yield value == null ? null : value.get();
            }
        }, allNames, () -> ZonedDateTime.ofInstant(Instant.ofEpochMilli(receivedAtMillis), ZoneOffset.UTC));
    }

    /** Credentials a template never copies into a queue or an answer: shown as in the logs and recordings. */
    static final Set<String> REDACTED_HEADERS = Set.of("authorization", "proxy-authorization", "cookie",
            "x-token");

    private ObjectNode headers() {
        if (headers == null) {
            headers = JsonNodeFactory.instance.objectNode();
            request.headers().names().forEach(name -> {
                String lower = name.toLowerCase(Locale.ROOT);
                headers.put(lower, REDACTED_HEADERS.contains(lower) ? "[redacted]"
                        : String.join(", ", request.headers().getAll(name)));
            });
        }
        return headers;
    }

    private ObjectNode query() {
        if (query == null) {
            query = JsonNodeFactory.instance.objectNode();
            MultiMap params = request.params();
            params.names().forEach(name -> query.put(name, params.get(name)));
        }
        return query;
    }

    private ObjectNode pathVariables() {
        if (path == null) {
            path = JsonNodeFactory.instance.objectNode();
            pathVariables.forEach(path::put);
        }
        return path;
    }

    private ObjectNode requestNode() {
        if (requestNode == null) {
            requestNode = JsonNodeFactory.instance.objectNode()
                    .put("id", requestId)
                    .put("method", request.method().name())
                    .put("path", request.path())
                    .put("receivedAt", Instant.ofEpochMilli(receivedAtMillis).toString());
        }
        return requestNode;
    }
}
