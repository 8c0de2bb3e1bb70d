package io.conduit.gateway.ingest;

import io.conduit.config.RouteConfig;
import io.conduit.gateway.edge.Responses;
import io.conduit.gateway.queue.QueueRef;
import io.conduit.gateway.routing.CompiledRoute;
import io.conduit.template.Context;
import io.conduit.template.RouteTemplates;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;

/** The last step: the rule's respond templates, or the default answer when it has none. */
final class Respond {
    private Respond() {
    }

    /** The answer of a queue rule without a respond body. */
    record QueueAnswer(QueueRef queueRef) {
    }

    /** Answers with the rule's respond templates, or with {@code defaultBody} (any value Jackson writes) when it has none. */
    static Future<Void> answer(HttpServerRequest request, CompiledRoute route, Context after, int defaultStatus,
                               Object defaultBody) {
        RouteConfig.Respond respond = route.config().respond();
        RouteTemplates t = route.templates();
        int status = respond == null ? defaultStatus : respond.status();
        RespondHeaders.render(t, after).forEach((name, value) -> request.response().putHeader(name, value));
        Object body = t.respondBody() == null ? defaultBody : t.respondBody().render(after);
        Responses.json(request, status, body);
        return Future.succeededFuture();
    }
}
