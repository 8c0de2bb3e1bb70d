package io.conduit.gateway.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conduit.config.ConfigJson;
import io.conduit.config.QueueBackendConfig;
import io.conduit.config.RouteConfig;
import io.conduit.gateway.blob.BlobMeta;
import io.conduit.gateway.blob.BlobRef;
import io.conduit.gateway.blob.BlobSink;
import io.conduit.gateway.blob.BlobWriter;
import io.conduit.gateway.config.LiveConfig;
import io.conduit.gateway.edge.ErrorCode;
import io.conduit.gateway.edge.GatewayException;
import io.conduit.gateway.edge.Responses;
import io.conduit.gateway.queue.BodyFingerprint;
import io.conduit.gateway.queue.IdempotencyKey;
import io.conduit.gateway.queue.JobIds;
import io.conduit.gateway.queue.JobOptions;
import io.conduit.gateway.queue.QueueMessage;
import io.conduit.gateway.queue.QueueRef;
import io.conduit.gateway.queue.QueueSink;
import io.conduit.gateway.routing.CompiledRoute;
import io.conduit.gateway.routing.RouteMatch;
import io.conduit.template.Context;
import io.conduit.template.Name;
import io.conduit.template.Root;
import io.conduit.template.RouteTemplates;
import io.conduit.template.ValueTemplate;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one matched rule, top to bottom: read the body into its sink, build the reference, enqueue
 * the follow-up envelope, respond. Nothing is answered 2xx before the sink has durably taken the
 * data; a failure part way aborts what was written.
 */
public final class RuleHandler {
    /** Queue rules carry messages, not payloads: bigger bodies belong in a blob rule. */
    public static final long QUEUE_BODY_LIMIT = 1L << 20;
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final Logger LOG = LoggerFactory.getLogger(RuleHandler.class);

    private final Vertx vertx;

    public RuleHandler(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Handles the request; the returned future completes once the response was written. */
    public Future<Void> handle(HttpServerRequest request, String requestId, LiveConfig live, RouteMatch.Found found) {
        CompiledRoute route = found.route();
        RequestData data = RequestData.of(request, requestId, found.pathVariables());
        long maxBody = live.config().edge().limits().maxBodySize();
        Future<Void> result;
        try {
            result = route.isBlob() ? blob(request, data, live, route, maxBody) : queue(request, data, live, route, maxBody);
        } catch (RuntimeException e) {
            result = Future.failedFuture(e);
        }
        return result.recover(failure -> {
            Responses.error(request, failure);
            return Future.succeededFuture();
        });
    }

    // ---- blob rules --------------------------------------------------------------------------

    private Future<Void> blob(HttpServerRequest request, RequestData data, LiveConfig live, CompiledRoute route, long maxBody) {
        RouteConfig.Blob blob = route.config().blob();
        BlobSink sink = live.blobSink(blob.backend()).orElseThrow();
        long limit = Math.min(blob.maxSize(), maxBody);
        String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
        boolean multipart = contentType != null && CompiledRoute.baseType(contentType).equals("multipart/form-data");
        // A multipart body is its files plus framing: the whole is held to the gateway's body limit, each file to the rule's.
        rejectDeclaredOversize(request, multipart ? maxBody : limit);
        Future<Stored> stored = multipart
                ? multipart(request, data, route, sink, limit)
                : single(request, data, route, sink, limit, contentType);
        return stored.compose(s -> {
            ArrayNode refs = JsonNodeFactory.instance.arrayNode();
            s.refs().forEach(r -> refs.add(ConfigJson.MAPPER.valueToTree(r)));
            JsonNode first = refs.isEmpty() ? JsonNodeFactory.instance.nullNode() : refs.get(0);
            Context after = data.context(s.fields(), Map.of(Root.BLOB_REF, first, Root.BLOB_REFS, refs),
                    Map.of(Name.BLOB_ID, s.refs().get(0).blobId()));
            ObjectNode defaultBody = JsonNodeFactory.instance.objectNode();
            if (s.refs().size() == 1) {
                defaultBody.set("blobRef", first);
            } else {
                defaultBody.set("blobRefs", refs);
            }
            return followUp(live, route, after, data).compose(v -> respond(request, route, after, 201, defaultBody));
        });
    }

    /** Blobs stored by one request, and the form fields that came with them. */
    private record Stored(List<BlobRef> refs, JsonNode fields) {
    }

    private Future<Stored> single(HttpServerRequest request, RequestData data, CompiledRoute route, BlobSink sink, long limit,
                                  String contentType) {
        String mime = contentType == null ? null : CompiledRoute.baseType(contentType);
        String filename = filenameFrom(request.getHeader("Content-Disposition"));
        return store(request, data, route, sink, limit, filename, mime, Promise.<Void>promise().future())
                .map(ref -> new Stored(List.of(ref), JsonNodeFactory.instance.objectNode()));
    }

    private Future<Stored> multipart(HttpServerRequest request, RequestData data, CompiledRoute route, BlobSink sink,
                                     long limit) {
        Promise<Void> ended = Promise.promise();
        Promise<Void> broken = Promise.promise();
        List<Future<BlobRef>> files = Collections.synchronizedList(new ArrayList<>());
        request.setExpectMultipart(true);
        request.uploadHandler(upload -> {
            upload.pause();
            Future<BlobRef> file = store(upload, data, route, sink, limit, upload.filename(), upload.contentType(),
                    broken.future());
            // One failed part fails the request now; the others are aborted rather than read to the end.
            file.onFailure(e -> {
                ended.tryFail(e);
                broken.tryFail(e);
            });
            files.add(file);
        });
        request.exceptionHandler(e -> {
            ended.tryFail(e);
            broken.tryFail(e);
        });
        request.endHandler(v -> ended.tryComplete());
        request.resume();
        return ended.future()
                .transform(ar -> Future.join(new ArrayList<>(files)).transform(all -> {
                    if (ar.failed()) {
                        return Future.failedFuture(ar.cause());
                    }
                    if (all.failed()) {
                        return Future.failedFuture(all.cause());
                    }
                    return Future.succeededFuture();
                }))
                .compose(v -> {
                    if (files.isEmpty()) {
                        return Future.failedFuture(new GatewayException(ErrorCode.BAD_REQUEST,
                                "multipart body holds no file part"));
                    }
                    List<BlobRef> refs = files.stream().map(Future::result).toList();
                    ObjectNode fields = JsonNodeFactory.instance.objectNode();
                    request.formAttributes().names().forEach(n -> fields.put(n, request.formAttributes().get(n)));
                    return Future.succeededFuture(new Stored(refs, fields));
                });
    }

    /** Streams one body into the sink: open, pump, commit; abort on any failure so nothing partial remains. */
    private Future<BlobRef> store(io.vertx.core.streams.ReadStream<io.vertx.core.buffer.Buffer> body, RequestData data,
                                  CompiledRoute route, BlobSink sink, long limit, String filename, String mime,
                                  Future<Void> cancelled) {
        body.pause();
        String blobId = JobIds.generate();
        String key = null;
        RouteTemplates t = route.templates();
        if (t.blobKey() != null) {
            key = t.blobKey().render(data.context(null, Map.of(), Map.of(Name.BLOB_ID, blobId,
                    Name.FILENAME, filename == null ? "" : filename, Name.EXT, extension(filename))));
        }
        BlobMeta meta = new BlobMeta(blobId, filename, mime, key, data.requestId());
        boolean hash = route.config().blob().computeHash();
        return sink.open(meta)
                .recover(failure -> Future.failedFuture(mapFailure(failure)))
                .compose(writer -> BlobPump.pump(body, writer, limit, hash, mime, cancelled)
                        .compose(writer::commit)
                        .recover(failure -> abortQuietly(writer).transform(v -> Future.failedFuture(mapFailure(failure)))));
    }

    private static Future<Void> abortQuietly(BlobWriter writer) {
        return writer.abort().recover(e -> {
            LOG.warn("abort of a partial blob failed", e);
            return Future.succeededFuture();
        });
    }

    private static Throwable mapFailure(Throwable failure) {
        if (failure instanceof GatewayException) {
            return failure;
        }
        if (failure instanceof io.vertx.core.http.HttpClosedException) {
            return new GatewayException(ErrorCode.BAD_REQUEST, "client closed the connection", null, failure);
        }
        return GatewayException.unavailable("blob backend failed to store the body", failure);
    }

    private static void rejectDeclaredOversize(HttpServerRequest request, long limit) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            try {
                if (Long.parseLong(length.trim()) > limit) {
                    throw new GatewayException(ErrorCode.PAYLOAD_TOO_LARGE, "Content-Length " + length.trim()
                            + " exceeds the limit of " + limit + " bytes");
                }
            } catch (NumberFormatException e) {
                throw new GatewayException(ErrorCode.BAD_REQUEST, "Content-Length is not a number");
            }
        }
    }

    // ---- queue rules -------------------------------------------------------------------------

    private Future<Void> queue(HttpServerRequest request, RequestData data, LiveConfig live, CompiledRoute route, long maxBody) {
        RouteConfig.Queue q = route.config().queue();
        QueueSink sink = live.queueSink(q.backend()).orElseThrow();
        QueueBackendConfig backend = live.config().queueBackend(q.backend()).orElseThrow();
        long limit = Math.min(QUEUE_BODY_LIMIT, maxBody);
        rejectDeclaredOversize(request, limit);
        long deadline = System.currentTimeMillis() + live.config().edge().limits().requestTimeoutMillis();
        String idempotencyHeader = idempotencyKeyHeader(request);
        return BodyReader.read(request, limit).compose(body -> {
            RouteTemplates t = route.templates();
            Context before = data.context(body, Map.of(), Map.of());
            String rendered = t.jobId() == null ? null : t.jobId().render(before);
            String ruleJobId = rendered == null || rendered.isEmpty() ? null : rendered;
            // The client's key names the job when the rule names none, so a repeat finds the same job.
            String jobId = ruleJobId != null ? ruleJobId : idempotencyHeader;
            String key = idempotencyHeader != null ? idempotencyHeader : ruleJobId;
            QueueMessage message = new QueueMessage(
                    t.queueName().render(before),
                    jobId,
                    q.jobName() != null ? q.jobName() : t.queueName().render(before),
                    t.message().render(before),
                    options(q, t, before, backend),
                    data.requestId(),
                    request.getHeader(HttpHeaders.CONTENT_TYPE),
                    data.tenant(),
                    data.traceparent(),
                    key == null ? IdempotencyKey.forRetries() : IdempotencyKey.client(key, BodyFingerprint.of(body)));
            return Retry.withBackoff(vertx, deadline, () -> sink.send(message))
                    .recover(e -> Future.failedFuture(e instanceof GatewayException ? e
                            : GatewayException.unavailable("queue backend " + sink.name() + " did not take the message", e)))
                    .compose(ref -> {
                        Context after = data.context(body, Map.of(Root.QUEUE_REF, ConfigJson.MAPPER.valueToTree(ref)), Map.of());
                        ObjectNode defaultBody = JsonNodeFactory.instance.objectNode();
                        defaultBody.set("queueRef", ConfigJson.MAPPER.valueToTree(ref));
                        // A repeat wrote nothing, so it sends no second follow-up either.
                        Future<Void> followed = ref.duplicate() ? Future.succeededFuture() : followUp(live, route, after, data);
                        return followed.compose(v -> respond(request, route, after, 202, defaultBody));
                    });
        });
    }

    /** The {@code Idempotency-Key} header, held to the job id rules since it may become the job id. */
    private static String idempotencyKeyHeader(HttpServerRequest request) {
        String value = request.getHeader(IDEMPOTENCY_KEY);
        if (value == null) {
            return null;
        }
        try {
            return JobIds.requireSafe(value.trim());
        } catch (GatewayException e) {
            throw new GatewayException(ErrorCode.BAD_REQUEST, IDEMPOTENCY_KEY + " is not allowed: use 1-200 letters, "
                    + "digits, '.', '_' or '-', starting with a letter or digit");
        }
    }

    private static JobOptions options(RouteConfig.Queue q, RouteTemplates t, Context context, QueueBackendConfig backend) {
        RouteConfig.Options o = q.options() == null ? RouteConfig.Options.NONE : q.options();
        QueueBackendConfig.JobDefaults d = backend.jobDefaults() == null ? QueueBackendConfig.JobDefaults.NONE
                : backend.jobDefaults();
        Integer attempts = integer(t.attempts(), context, "attempts");
        return new JobOptions(
                integer(t.priority(), context, "priority"),
                longValue(t.delay(), context, "delay"),
                attempts != null ? attempts : d.attempts(),
                o.backoff() != null ? o.backoff() : d.backoff(),
                o.lifo(),
                d.removeOnComplete(),
                d.removeOnFail(),
                t.recordKey() == null ? null : t.recordKey().render(context));
    }

    private static Integer integer(ValueTemplate template, Context context, String what) {
        Long value = longValue(template, context, what);
        return value == null ? null : Math.toIntExact(value);
    }

    private static Long longValue(ValueTemplate template, Context context, String what) {
        if (template == null) {
            return null;
        }
        JsonNode value = template.render(context);
        if (value.isNull() || (value.isTextual() && value.asText().isEmpty())) {
            return null;
        }
        if (value.canConvertToLong() && value.isIntegralNumber()) {
            return value.asLong();
        }
        if (value.isTextual() && value.asText().matches("-?[0-9]{1,18}")) {
            return Long.parseLong(value.asText());
        }
        throw new GatewayException(ErrorCode.BAD_REQUEST, "option " + what + " must be a whole number, got " + value);
    }

    // ---- follow-up and answer -----------------------------------------------------------------

    /**
     * The onComplete envelope, after the main write. Retried within the deadline; if it still fails
     * it goes to the dead-letter queue with the error; only if that fails too is the request an error.
     */
    private Future<Void> followUp(LiveConfig live, CompiledRoute route, Context after, RequestData data) {
        RouteConfig.Enqueue enqueue = route.config().onComplete();
        if (enqueue == null) {
            return Future.succeededFuture();
        }
        QueueSink sink = live.queueSink(enqueue.backend()).orElseThrow();
        QueueBackendConfig backend = live.config().queueBackend(enqueue.backend()).orElseThrow();
        RouteTemplates t = route.templates();
        String to = t.enqueueTo().render(after);
        JsonNode envelope = t.envelope().render(after);
        long deadline = System.currentTimeMillis() + live.config().edge().limits().requestTimeoutMillis();
        QueueMessage message = new QueueMessage(to, null, to, envelope, JobOptions.NONE, data.requestId(), "application/json",
                data.tenant(), data.traceparent(), IdempotencyKey.forRetries());
        return Retry.withBackoff(vertx, deadline, () -> sink.send(message)).<Void>mapEmpty().recover(failure -> {
            QueueBackendConfig.JobDefaults d = backend.jobDefaults() == null ? QueueBackendConfig.JobDefaults.NONE
                    : backend.jobDefaults();
            if (!d.deadLetter()) {
                return Future.failedFuture(GatewayException.unavailable("stored, but the follow-up envelope could not be "
                        + "queued to " + to, failure));
            }
            String dlq = to + d.deadLetterSuffix();
            LOG.warn("follow-up envelope for request {} to {} failed; sending it to {}", data.requestId(), to, dlq, failure);
            ObjectNode dead = JsonNodeFactory.instance.objectNode()
                    .put("error", String.valueOf(failure.getMessage()))
                    .put("queue", to)
                    .put("failedAt", Instant.now().toString())
                    .put("requestId", data.requestId());
            dead.set("envelope", envelope);
            QueueMessage deadLetter = new QueueMessage(dlq, null, dlq, dead, JobOptions.NONE, data.requestId(),
                    "application/json", data.tenant(), data.traceparent(), IdempotencyKey.forRetries());
            return Retry.withBackoff(vertx, deadline, () -> sink.send(deadLetter)).<Void>mapEmpty()
                    .recover(e -> Future.failedFuture(GatewayException.unavailable(
                            "stored, but the follow-up envelope could not be queued to " + to + " nor to " + dlq, e)));
        });
    }

    private static Future<Void> respond(HttpServerRequest request, CompiledRoute route, Context after, int defaultStatus,
                                        JsonNode defaultBody) {
        RouteConfig.Respond respond = route.config().respond();
        RouteTemplates t = route.templates();
        int status = respond == null ? defaultStatus : respond.status();
        t.respondHeaders().forEach((name, value) -> request.response().putHeader(name, value.render(after)));
        JsonNode body = t.respondBody() == null ? defaultBody : t.respondBody().render(after);
        Responses.json(request, status, body);
        return Future.succeededFuture();
    }

    private static String filenameFrom(String contentDisposition) {
        if (contentDisposition == null) {
            return null;
        }
        var m = java.util.regex.Pattern.compile("filename=\"?([^\";]+)\"?").matcher(contentDisposition);
        return m.find() ? m.group(1) : null;
    }

    private static String extension(String filename) {
        if (filename == null) {
            return "";
        }
        int dot = filename.lastIndexOf('.');
        return dot < 0 || dot == filename.length() - 1 ? "" : filename.substring(dot + 1);
    }

}
