package io.conduit.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.conduit.api.Durations;
import io.conduit.api.Quantities;
import io.conduit.api.v1alpha1.LocalObjectReference;
import io.conduit.api.v1alpha1.RouteRule;
import io.conduit.api.v1alpha1.RouteRuleSpec;
import io.conduit.config.BlobBackendConfig;
import io.conduit.config.PathPattern;
import io.conduit.config.QueueBackendConfig;
import io.conduit.config.RouteConfig;
import io.conduit.template.RouteTemplates;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Validates one RouteRule and turns it into a {@link RouteConfig}, given the backends it may use. */
final class RuleRenderer {
    static final int DEFAULT_BLOB_STATUS = 201;
    static final int DEFAULT_QUEUE_STATUS = 202;
    private static final Pattern MEDIA_TYPE = Pattern.compile("^[A-Za-z0-9!#$&^_.+-]+/([A-Za-z0-9!#$&^_.+-]+|\\*)$");
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    /** What a rule may refer to in its namespace. */
    interface Backends {
        Optional<BlobBackendConfig> blob(String namespace, String name);

        Optional<QueueBackendConfig> queue(String namespace, String name);

        /** Why a backend that exists is not usable (invalid, missing Secret), if it is not. */
        Optional<Problem> unusable(String kind, String namespace, String name);

        Optional<String> defaultQueue(String namespace);
    }

    /** A rule's outcome: its route, or the problem and whether the problem is about references. */
    record Outcome(RouteConfig route, Problem problem, boolean refProblem) {
    }

    Outcome render(RouteRule rule, Backends backends) {
        ResourceId id = ResourceId.of(rule);
        String ns = id.namespace();
        RouteRuleSpec spec = rule.getSpec();
        long generation = rule.getMetadata().getGeneration() == null ? 0 : rule.getMetadata().getGeneration();
        String routeId = id.namespace() + "/" + id.name();

        // First everything the rule says by itself: an invalid rule is Invalid whether or not its backends exist.
        RouteConfig written;
        try {
            written = written(spec, routeId, generation);
            RouteTemplates.compile(written);
        } catch (IllegalArgumentException e) {
            return new Outcome(null, new Problem(id, Problem.INVALID, e.getMessage()), false);
        }

        // Then what it refers to.
        RouteConfig.Blob blob = written.blob();
        RouteConfig.Queue queue = written.queue();
        RouteConfig.Enqueue onComplete = written.onComplete();
        if (blob != null) {
            Optional<Outcome> missing = missing(id, "BlobBackend", ns, blob.backend(), backends);
            if (missing.isPresent()) {
                return missing.get();
            }
            BlobBackendConfig backend = backends.blob(ns, blob.backend()).orElseThrow();
            if (blob.key() != null && backend.contentAddressed()) {
                return invalid(id, "send.blob.key cannot be used with BlobBackend " + backend.name()
                        + ": it is content-addressed");
            }
            if (!blob.computeHash() && backend.contentAddressed()) {
                return invalid(id, "computeHash: false cannot be used with BlobBackend " + backend.name()
                        + ": content addressing needs the hash");
            }
            blob = new RouteConfig.Blob(blob.backend(), blob.key(), Math.min(backend.maxSize(), blob.maxSize()),
                    blob.computeHash());
        } else {
            String name = queue.backend() != null ? queue.backend() : backends.defaultQueue(ns).orElse(null);
            if (name == null) {
                return refProblem(id, Problem.BACKEND_NOT_FOUND, "send.queue.backendRef is unset and there is no default "
                        + "queue backend (set it, or EdgeGateway spec.defaultQueueBackendRef)");
            }
            Optional<Outcome> missing = missing(id, "QueueBackend", ns, name, backends);
            if (missing.isPresent()) {
                return missing.get();
            }
            queue = new RouteConfig.Queue(name, queue.queue(), queue.message(), queue.jobName(), queue.options());
        }
        if (onComplete != null) {
            String name = onComplete.backend() != null ? onComplete.backend() : backends.defaultQueue(ns).orElse(null);
            if (name == null) {
                return refProblem(id, Problem.BACKEND_NOT_FOUND,
                        "onComplete.enqueue.backendRef is unset and there is no default queue backend");
            }
            Optional<Outcome> missing = missing(id, "QueueBackend", ns, name, backends);
            if (missing.isPresent()) {
                return missing.get();
            }
            onComplete = new RouteConfig.Enqueue(name, onComplete.to(), onComplete.envelope());
        }
        return new Outcome(new RouteConfig(routeId, generation, written.match(), blob, queue, written.respond(), onComplete,
                written.record(), written.open(), written.tenant()),
                null, false);
    }

    /** The rule as written, checked on its own; backend names stay as given (null when defaulted). */
    private static RouteConfig written(RouteRuleSpec spec, String routeId, long generation) {
        check(spec != null && spec.when() != null && (spec.when().http() != null || spec.when().ws() != null),
                "spec.when.http (or spec.when.ws) is required");
        check(spec.when().http() == null || spec.when().ws() == null, "exactly one of when.http and when.ws must be set");
        check(spec.send() != null, "spec.send is required");
        RouteConfig.Match match = spec.when().ws() != null ? wsMatch(spec) : match(spec.when().http());
        boolean isBlob = spec.send().blob() != null;
        check(isBlob != (spec.send().queue() != null), "exactly one of send.blob and send.queue must be set");
        RouteConfig.Blob blob = null;
        RouteConfig.Queue queue = null;
        if (isBlob) {
            RouteRuleSpec.SendBlob b = spec.send().blob();
            String backend = refName(b.backendRef(), "send.blob.backendRef", true);
            long maxSize = b.maxSize() == null ? Long.MAX_VALUE : Quantities.parseBytes(b.maxSize());
            blob = new RouteConfig.Blob(backend, b.key(), maxSize, !Boolean.FALSE.equals(b.computeHash()));
        } else {
            RouteRuleSpec.SendQueue q = spec.send().queue();
            check(q.queue() != null && !q.queue().isBlank(), "send.queue.queue is required");
            checkQueueContentType(match.contentType());
            RouteRuleSpec.QueueOptions o = q.options();
            RouteConfig.Options options = o == null ? null : new RouteConfig.Options(o.jobId(), json(o.priority()),
                    json(o.delay()), json(o.attempts()), o.backoff(), o.lifo(), o.key());
            queue = new RouteConfig.Queue(refName(q.backendRef(), "send.queue.backendRef", false), q.queue(), q.message(), q.jobName(), options);
        }
        RouteConfig.Respond respond = respond(spec.send().respond(), isBlob);
        RouteConfig.Enqueue onComplete = null;
        if (spec.onComplete() != null) {
            RouteRuleSpec.Enqueue e = spec.onComplete().enqueue();
            check(e != null && e.to() != null && e.envelope() != null, "onComplete.enqueue needs to and envelope");
            onComplete = new RouteConfig.Enqueue(refName(e.backendRef(), "onComplete.enqueue.backendRef", false), e.to(), e.envelope());
        }
        check(spec.tenant() == null || spec.auth() != RouteRuleSpec.RouteAuth.None,
                "a tenant's rule (tenant: " + spec.tenant() + ") cannot be public (auth: None): only a token names the tenant");
        check(spec.tenant() == null || !spec.tenant().isBlank(), "tenant must not be empty");
        return new RouteConfig(routeId, generation, match, blob, queue, respond, onComplete,
                Boolean.TRUE.equals(spec.record()), spec.auth() == RouteRuleSpec.RouteAuth.None ? Boolean.TRUE : null, spec.tenant());
    }

    /** The name a reference holds; an optional reference may be absent, but never present without a name. */
    private static String refName(LocalObjectReference ref, String field, boolean required) {
        check(ref != null || !required, field + " is required, e.g. {name: uploads}");
        check(ref == null || ref.name() != null && !ref.name().isBlank(), field + ".name is required");
        return LocalObjectReference.nameOf(ref);
    }

    private static Outcome invalid(ResourceId id, String message) {
        return new Outcome(null, new Problem(id, Problem.INVALID, message), false);
    }

    /** A WebSocket rule: a GET upgrade on the path; every message goes to the queue, acknowledged with its queueRef. */
    private static RouteConfig.Match wsMatch(RouteRuleSpec spec) {
        RouteRuleSpec.WsMatch ws = spec.when().ws();
        check(ws.path() != null, "when.ws.path is required");
        PathPattern.parse(ws.path());
        check(spec.send().queue() != null && spec.send().blob() == null,
                "a when.ws rule sends each message to a queue: use send.queue");
        check(spec.send().respond() == null, "send.respond does not apply to when.ws: each message is acknowledged with "
                + "a frame holding its queueRef");
        check(spec.onComplete() == null, "onComplete does not apply to when.ws rules");
        long max = ws.maxMessageSize() == null ? RouteConfig.WebSocket.DEFAULT_MAX_MESSAGE_SIZE
                : Quantities.parseBytes(ws.maxMessageSize());
        check(max > 0 && max <= Integer.MAX_VALUE, "when.ws.maxMessageSize must be between 1 byte and 2Gi");
        long idle = ws.idleTimeout() == null ? RouteConfig.WebSocket.DEFAULT_IDLE_TIMEOUT_MILLIS
                : Durations.parse(ws.idleTimeout()).toMillis();
        long ping = ws.pingInterval() == null ? RouteConfig.WebSocket.DEFAULT_PING_INTERVAL_MILLIS
                : Durations.parse(ws.pingInterval()).toMillis();
        check(idle > 0 && ping > 0, "when.ws.idleTimeout and pingInterval must be more than 0");
        return new RouteConfig.Match("GET", ws.path(), null, List.of(), new RouteConfig.WebSocket(max, idle, ping));
    }

    private static RouteConfig.Match match(RouteRuleSpec.HttpMatch http) {
        check(http.path() != null, "when.http.path is required");
        PathPattern.parse(http.path());
        String method = http.method();
        check(method == null || METHODS.contains(method), "when.http.method '" + http.method()
                + "' is not an HTTP method (write it in capitals, e.g. POST)");
        String contentType = http.contentType() == null ? null : http.contentType().trim().toLowerCase(Locale.ROOT);
        check(contentType == null || MEDIA_TYPE.matcher(contentType).matches(),
                "when.http.contentType '" + http.contentType() + "' is not a media type such as application/json or image/*");
        List<RouteConfig.Header> headers = http.headers() == null ? List.of() : http.headers().stream().map(h -> {
            check(h.name() != null && !h.name().isBlank(), "when.http.headers: name is required");
            RouteRuleSpec.HeaderMatchType type = h.type() == null ? RouteRuleSpec.HeaderMatchType.Exact : h.type();
            check(type == RouteRuleSpec.HeaderMatchType.Present || h.value() != null,
                    "when.http.headers." + h.name() + ": value is required unless type is Present");
            if (type == RouteRuleSpec.HeaderMatchType.RegularExpression) {
                try {
                    Pattern.compile(h.value());
                } catch (PatternSyntaxException e) {
                    throw new IllegalArgumentException("when.http.headers." + h.name() + ": bad regular expression: "
                            + e.getDescription());
                }
            }
            return new RouteConfig.Header(h.name().toLowerCase(Locale.ROOT), h.value(), type);
        }).toList();
        return new RouteConfig.Match(method, http.path(), contentType, headers);
    }

    /** Queue rules turn the body into a message, so it must be a body we can read as JSON or text. */
    private static void checkQueueContentType(String contentType) {
        if (contentType == null) {
            return;
        }
        boolean ok = contentType.equals("application/json") || contentType.endsWith("+json")
                || contentType.startsWith("text/") || contentType.equals("application/x-www-form-urlencoded")
                || contentType.equals("multipart/form-data");
        check(ok, "when.http.contentType " + contentType + " is not supported by a queue rule (use application/json, "
                + "*+json, text/*, application/x-www-form-urlencoded or multipart/form-data; send other bodies to a blob rule)");
    }

    private static RouteConfig.Respond respond(RouteRuleSpec.Respond respond, boolean blob) {
        int defaultStatus = blob ? DEFAULT_BLOB_STATUS : DEFAULT_QUEUE_STATUS;
        if (respond == null || respond.http() == null) {
            return null;
        }
        RouteRuleSpec.HttpRespond http = respond.http();
        int status = http.status() == null ? defaultStatus : http.status();
        check(status >= 200 && status <= 299, "send.respond.http.status must be 2xx: errors are the gateway's to answer");
        return new RouteConfig.Respond(status, http.headers(), http.body());
    }

    private static Optional<Outcome> missing(ResourceId id, String kind, String ns, String name, Backends backends) {
        boolean exists = kind.equals("BlobBackend") ? backends.blob(ns, name).isPresent() : backends.queue(ns, name).isPresent();
        if (exists) {
            return Optional.empty();
        }
        Optional<Problem> unusable = backends.unusable(kind, ns, name);
        if (unusable.isPresent()) {
            return Optional.of(refProblem(id, Problem.BACKEND_NOT_READY, kind + " " + name + " is not usable: "
                    + unusable.get().message()));
        }
        return Optional.of(refProblem(id, Problem.BACKEND_NOT_FOUND, kind + " " + ns + "/" + name + " not found"));
    }

    private static Outcome refProblem(ResourceId id, String reason, String message) {
        return new Outcome(null, new Problem(id, reason, message), true);
    }

    private static JsonNode json(IntOrString value) {
        if (value == null) {
            return null;
        }
        return value.getIntVal() != null ? IntNode.valueOf(value.getIntVal()) : TextNode.valueOf(value.getStrVal());
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
