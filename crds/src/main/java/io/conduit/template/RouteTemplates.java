package io.conduit.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.conduit.config.PathPattern;
import io.conduit.config.RouteConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Every template of one route, compiled in the scope where it runs. The renderer compiles them to
 * validate a rule; the gateway compiles the same config to run it, so both fail on the same input.
 */
public record RouteTemplates(
        StringTemplate blobKey,
        StringTemplate queueName,
        ValueTemplate message,
        StringTemplate jobId,
        ValueTemplate priority,
        ValueTemplate delay,
        ValueTemplate attempts,
        StringTemplate recordKey,
        ValueTemplate respondBody,
        Map<String, StringTemplate> respondHeaders,
        StringTemplate enqueueTo,
        ValueTemplate envelope) {

    private static final JsonNode DEFAULT_MESSAGE = TextNode.valueOf("$body");

    /** Whether the queue message is the request body as it came ({@code $body}), so it can be passed on unparsed. */
    public boolean messageIsWholeBody() {
        return message instanceof ValueTemplate.ReferenceTemplate ref && ref.reference().root() == Root.BODY
                && ref.reference().fields().isEmpty();
    }

    public static RouteTemplates compile(RouteConfig route) {
        Set<String> vars = PathPattern.parse(route.match().path()).variables();
        boolean blob = route.blob() != null;
        Scope after = blob ? Scope.afterBlob(vars) : Scope.afterQueue(vars);

        StringTemplate blobKey = null;
        StringTemplate queueName = null;
        ValueTemplate message = null;
        StringTemplate jobId = null;
        ValueTemplate priority = null;
        ValueTemplate delay = null;
        ValueTemplate attempts = null;
        StringTemplate recordKey = null;
        if (blob) {
            if (route.blob().key() != null) {
                blobKey = StringTemplate.compile(route.blob().key(), Scope.blobKey(vars), "send.blob.key");
            }
        } else {
            Scope before = Scope.beforeQueue(vars);
            RouteConfig.Queue q = route.queue();
            queueName = StringTemplate.compile(q.queue(), before, "send.queue.queue");
            message = ValueTemplate.compile(q.message() == null ? DEFAULT_MESSAGE : q.message(), before, "send.queue.message");
            RouteConfig.Options o = q.options() == null ? RouteConfig.Options.NONE : q.options();
            jobId = o.jobId() == null ? null : JobIdTemplate.check(StringTemplate.compile(o.jobId(), before,
                    "send.queue.options.jobId"), "send.queue.options.jobId");
            priority = optional(o.priority(), before, "send.queue.options.priority");
            delay = optional(o.delay(), before, "send.queue.options.delay");
            attempts = optional(o.attempts(), before, "send.queue.options.attempts");
            recordKey = o.key() == null ? null : StringTemplate.compile(o.key(), before, "send.queue.options.key");
        }

        ValueTemplate respondBody = null;
        Map<String, StringTemplate> respondHeaders = new LinkedHashMap<>();
        if (route.respond() != null) {
            respondBody = route.respond().body() == null ? null
                    : ValueTemplate.compile(route.respond().body(), after, "send.respond.http.body");
            if (route.respond().headers() != null) {
                route.respond().headers().forEach((name, value) -> respondHeaders.put(name,
                        StringTemplate.compile(value, after, "send.respond.http.headers." + name)));
            }
        }

        StringTemplate enqueueTo = null;
        ValueTemplate envelope = null;
        if (route.onComplete() != null) {
            enqueueTo = StringTemplate.compile(route.onComplete().to(), after, "onComplete.enqueue.to");
            envelope = ValueTemplate.compile(route.onComplete().envelope(), after, "onComplete.enqueue.envelope");
        }
        return new RouteTemplates(blobKey, queueName, message, jobId, priority, delay, attempts, recordKey, respondBody,
                Map.copyOf(respondHeaders), enqueueTo, envelope);
    }

    private static ValueTemplate optional(JsonNode node, Scope scope, String where) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isNumber() && !node.isTextual()) {
            throw new TemplateException(where + ": must be a number or a template such as $body.priority");
        }
        return ValueTemplate.compile(node, scope, where);
    }
}
