package io.conduit.gateway.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
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

/** What templates may read of one request, gathered once; {@link #context} adds what later steps produced. */
record RequestData(String requestId, String method, String path, Instant receivedAt, ObjectNode headers, ObjectNode query,
                   ObjectNode pathVariables, String tenant) {

    static RequestData of(HttpServerRequest request, String requestId, Map<String, String> pathVariables, String tenant) {
        ObjectNode headers = JsonNodeFactory.instance.objectNode();
        request.headers().names().forEach(name -> headers.put(name.toLowerCase(Locale.ROOT),
                String.join(", ", request.headers().getAll(name))));
        ObjectNode query = JsonNodeFactory.instance.objectNode();
        MultiMap params = request.params();
        params.names().forEach(name -> query.put(name, params.get(name)));
        ObjectNode vars = JsonNodeFactory.instance.objectNode();
        pathVariables.forEach(vars::put);
        return new RequestData(requestId, request.method().name(), request.path(), Instant.now(), headers, query, vars, tenant);
    }

    /** The W3C trace context the client sent, passed on with queued messages so consumers can continue the trace. */
    String traceparent() {
        JsonNode value = headers.get("traceparent");
        return value == null ? null : value.asText();
    }

    Context context(JsonNode body, Map<Root, JsonNode> produced, Map<Name, String> names) {
        Map<Root, JsonNode> roots = new EnumMap<>(Root.class);
        roots.put(Root.HEADERS, headers);
        roots.put(Root.QUERY, query);
        roots.put(Root.PATH, pathVariables);
        roots.put(Root.BODY, body == null ? JsonNodeFactory.instance.nullNode() : body);
        roots.put(Root.REQUEST, JsonNodeFactory.instance.objectNode()
                .put("id", requestId).put("method", method).put("path", path).put("receivedAt", receivedAt.toString()));
        roots.put(Root.TENANT, tenant == null ? JsonNodeFactory.instance.nullNode() : TextNode.valueOf(tenant));
        roots.putAll(produced);
        Map<Name, String> allNames = new EnumMap<>(Name.class);
        allNames.put(Name.REQUEST_ID, requestId);
        if (tenant != null) {
            allNames.put(Name.TENANT, tenant);
        }
        allNames.putAll(names);
        return new Context(roots, allNames, ZonedDateTime.ofInstant(receivedAt, ZoneOffset.UTC));
    }
}
