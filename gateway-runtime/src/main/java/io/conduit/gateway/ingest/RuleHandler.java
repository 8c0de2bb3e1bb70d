package io.conduit.gateway.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conduit.config.ConfigJson;
import io.conduit.config.QueueBackendConfig;
import io.conduit.config.RouteConfig;
import io.conduit.gateway.blob.BlobDigest;
import io.conduit.gateway.blob.BlobMeta;
import io.conduit.gateway.blob.BlobRef;
import io.conduit.gateway.blob.BlobSink;
import io.conduit.gateway.blob.BlobWriter;
import io.conduit.gateway.config.LiveConfig;
import io.conduit.gateway.edge.Responses;
import io.conduit.gateway.edge.limits.BodyProgress;
import io.conduit.gateway.edge.logging.Exchange;
import io.conduit.gateway.errors.ErrorCode;
import io.conduit.gateway.errors.GatewayException;
import io.conduit.gateway.queue.BodyFingerprint;
import io.conduit.gateway.queue.IdempotencyKey;
import io.conduit.gateway.queue.JobIds;
import io.conduit.gateway.queue.JobOptions;
import io.conduit.gateway.queue.MessagePayload;
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
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.streams.ReadStream;
import java.time.Instant;
import java.util.ArrayList;
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
    public Future<Void> handle(HttpServerRequest request, Exchange exchange, LiveConfig live, RouteMatch.Found found,
                               BodyProgress progress) {
        CompiledRoute route = found.route();
        RequestData data = RequestData.of(request, exchange, found.pathVariables());
        long maxBody = live.config().edge().limits().maxBodySize();
        Future<Void> result;
        try {
            result = route.isBlob() ? blob(request, data, live, route, maxBody, progress)
                    : queue(request, data, live, route, maxBody, progress);
        } catch (RuntimeException e) {
            result = Future.failedFuture(e);
        }
        return result.recover(failure -> {
            Responses.error(request, Failures.fromClient(failure));
            return Future.succeededFuture();
        });
    }

    // ---- blob rules --------------------------------------------------------------------------

    private Future<Void> blob(HttpServerRequest request, RequestData data, LiveConfig live, CompiledRoute route, long maxBody,
                              BodyProgress progress) {
        RouteConfig.Blob blob = route.config().blob();
        BlobSink sink = live.blobSink(blob.backend()).orElseThrow();
        long limit = Math.min(blob.maxSize(), maxBody);
        String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
        boolean multipart = contentType != null && CompiledRoute.baseType(contentType).equals("multipart/form-data");
        // A multipart body is its files plus framing: the whole is held to the gateway's body limit, each file to the rule's.
        rejectDeclaredOversize(request, multipart ? maxBody : limit);
        continueIfExpected(request);

        // Failures of the request itself, seen from the first moment: a body that breaks before its
        // sink is open must still abort what was opened.
        Promise<Void> broken = Promise.promise();
        progress.onCancel(broken::tryFail);
        request.exceptionHandler(broken::tryFail);
        request.response().closeHandler(v -> broken.tryFail(new HttpClosedException("client closed the connection")));

        List<BlobWriter> opened = new ArrayList<>();
        Future<Staged> staged = multipart
                ? stageMultipart(request, data, route, sink, limit, maxBody, broken, opened, progress,
                        live.config().edge().limits().requestTimeoutMillis())
                : stage(request, data, route, sink, limit, filenameFrom(request.getHeader("Content-Disposition")),
                        contentType == null ? null : CompiledRoute.baseType(contentType), broken.future(), opened, progress)
                        .map(part -> new Staged(List.of(part), JsonNodeFactory.instance.objectNode()));
        return staged
                .compose(s -> {
                    // Header values from the form are known now: a bad one publishes nothing.
                    RespondHeaders.render(route.templates(), data.context(MessagePayload.of(s.fields()), Map.of(), Map.of()));
                    return data.exchange().timedWrite(blob.backend(), "blob", () -> commitAll(s.parts()))
                            .map(refs -> new Stored(refs, s.fields()));
                })
                .recover(failure -> abortAll(opened).transform(v -> Future.failedFuture(Failures.fromSink(failure))))
                .compose(s -> {
                    s.refs().forEach(r -> data.exchange().blobStored(r.backendName(), r.blobId()));
                    ArrayNode refs = JsonNodeFactory.instance.arrayNode();
                    s.refs().forEach(r -> refs.add(ConfigJson.MAPPER.valueToTree(r)));
                    JsonNode first = refs.get(0);
                    Context after = data.context(MessagePayload.of(s.fields()), Map.of(Root.BLOB_REF, () -> first,
                            Root.BLOB_REFS, () -> refs), Map.of(Name.BLOB_ID, s.refs().get(0).blobId()));
                    ObjectNode defaultBody = JsonNodeFactory.instance.objectNode();
                    if (s.refs().size() == 1) {
                        defaultBody.set("blobRef", first);
                    } else {
                        defaultBody.set("blobRefs", refs);
                    }
                    return followUp(live, route, after, data).compose(v -> respond(request, route, after, 201, defaultBody));
                });
    }

    /** One body streamed into its writer, not yet published. */
    private record Part(BlobWriter writer, BlobDigest digest) {
    }

    /** Every part of a request streamed, and the form fields that came with them. */
    private record Staged(List<Part> parts, JsonNode fields) {
    }

    /** Blobs published for one request, and the form fields that came with them. */
    private record Stored(List<BlobRef> refs, JsonNode fields) {
    }

    private Future<Staged> stageMultipart(HttpServerRequest request, RequestData data, CompiledRoute route, BlobSink sink,
                                          long limit, long maxBody, Promise<Void> broken, List<BlobWriter> opened,
                                          BodyProgress progress, long graceMillis) {
        Promise<Void> ended = Promise.promise();
        List<Future<Part>> parts = new ArrayList<>();
        long[] total = {0};
        ClosingBoundary closing = ClosingBoundary.of(request.getHeader(HttpHeaders.CONTENT_TYPE));
        request.setExpectMultipart(true);
        request.uploadHandler(upload -> {
            // A finished file gives back its part buffer or descriptor now; it is published with the others at the end.
            Future<Part> part = stage(upload, data, route, sink, limit, upload.filename(), upload.contentType(),
                    broken.future(), opened, progress).compose(p -> p.writer().finish(p.digest()).map(p));
            // One failed part fails the request now; the others are aborted rather than read to the end.
            part.onFailure(e -> {
                ended.tryFail(e);
                broken.tryFail(e);
            });
            parts.add(part);
        });
        // The whole body counts against the gateway's limit, chunked or not.
        request.handler(chunk -> {
            progress.raw(chunk);
            if (closing != null) {
                closing.feed(chunk);
            }
            total[0] += chunk.length();
            if (total[0] > maxBody) {
                GatewayException tooLarge = new GatewayException(ErrorCode.PAYLOAD_TOO_LARGE,
                        "body exceeds the limit of " + maxBody + " bytes");
                ended.tryFail(tooLarge);
                broken.tryFail(tooLarge);
            }
        });
        request.exceptionHandler(e -> {
            ended.tryFail(e);
            broken.tryFail(e);
        });
        request.endHandler(v -> {
            if (closing != null && !closing.seen()) {
                // The whole body is here and it never closed: a part it was in never ends, so answer now
                // rather than when the deadline fires.
                GatewayException cut = new GatewayException(ErrorCode.BAD_REQUEST, parts.isEmpty()
                        ? "multipart body ended without its closing boundary"
                        : "multipart body ended inside a part (no closing boundary)");
                ended.tryFail(cut);
                broken.tryFail(cut);
                return;
            }
            ended.tryComplete();
            // Parts end a moment after the request (their streams were paused while sinks opened); one
            // still open long after was cut off (a delimiter seen, yet a part unfinished): the safety net.
            vertx.setTimer(graceMillis, t -> broken.tryFail(new GatewayException(ErrorCode.BAD_REQUEST,
                    "multipart body ended inside a part")));
        });
        request.resume();
        return ended.future()
                .transform(ar -> Future.join(new ArrayList<>(parts)).transform(all -> ar.failed()
                        ? Future.<Void>failedFuture(ar.cause())
                        : all.failed() ? Future.<Void>failedFuture(all.cause()) : Future.<Void>succeededFuture()))
                .compose(v -> {
                    if (parts.isEmpty()) {
                        return Future.failedFuture(new GatewayException(ErrorCode.BAD_REQUEST,
                                "multipart body holds no file part"));
                    }
                    ObjectNode fields = JsonNodeFactory.instance.objectNode();
                    request.formAttributes().names().forEach(n -> fields.put(n, request.formAttributes().get(n)));
                    return Future.succeededFuture(new Staged(parts.stream().map(Future::result).toList(), fields));
                });
    }

    /** Streams one body into a new writer of the sink; publishes nothing. */
    private Future<Part> stage(ReadStream<Buffer> body, RequestData data, CompiledRoute route, BlobSink sink, long limit,
                               String filename, String mime, Future<Void> cancelled, List<BlobWriter> opened,
                               BodyProgress progress) {
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
        return sink.open(meta).compose(writer -> {
            opened.add(writer);
            return BlobPump.pump(body, writer, limit, hash, mime, cancelled, progress).map(d -> new Part(writer, d));
        });
    }

    /** Publishes every staged part; only now, with the whole request received, does anything become visible. */
    private static Future<List<BlobRef>> commitAll(List<Part> parts) {
        List<Future<BlobRef>> commits = parts.stream().map(p -> p.writer().commit(p.digest())).toList();
        return Future.all(commits).map(all -> commits.stream().map(Future::result).toList());
    }

    private static Future<Void> abortAll(List<BlobWriter> writers) {
        List<Future<Void>> aborts = writers.stream().map(w -> w.abort().recover(e -> {
            LOG.warn("abort of a partial blob failed", e);
            return Future.<Void>succeededFuture();
        })).toList();
        return Future.join(aborts).mapEmpty();
    }

    /** Answers {@code Expect: 100-continue} only once the request passed the checks made from its headers. */
    private static void continueIfExpected(HttpServerRequest request) {
        String expect = request.getHeader(HttpHeaders.EXPECT);
        if (expect != null && expect.equalsIgnoreCase("100-continue")) {
            request.response().writeContinue();
        }
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

    private Future<Void> queue(HttpServerRequest request, RequestData data, LiveConfig live, CompiledRoute route, long maxBody,
                               BodyProgress progress) {
        long limit = Math.min(QUEUE_BODY_LIMIT, maxBody);
        rejectDeclaredOversize(request, limit);
        continueIfExpected(request);
        long deadline = System.currentTimeMillis() + live.config().edge().limits().requestTimeoutMillis();
        String idempotencyHeader = idempotencyKeyHeader(request);
        return BodyReader.read(request, limit, progress).compose(body -> {
            // Checked before the send: a bad header value must not leave a queued message for a retry to duplicate.
            RespondHeaders.render(route.templates(), data.context(body, Map.of(), Map.of()));
            return send(data, live, route, body, request.getHeader(HttpHeaders.CONTENT_TYPE), idempotencyHeader, deadline)
                    .compose(ref -> {
                        Context after = data.context(body, Map.of(Root.QUEUE_REF, () -> ConfigJson.MAPPER.valueToTree(ref)),
                                Map.of());
                        // A repeat wrote nothing, so it sends no second follow-up either.
                        Future<Void> followed = ref.duplicate() ? Future.succeededFuture() : followUp(live, route, after, data);
                        return followed.compose(v -> respond(request, route, after, 202, new QueueAnswer(ref)));
                    });
        });
    }

    /**
     * One message of a WebSocket rule ({@code when.ws}), queued like a request body: templates see the
     * upgrade request's headers, query and path, {@code $body} is the message, {@code $request.id} is
     * {@code messageId}. Completes with the queueRef once the backend holds it.
     */
    public Future<QueueRef> enqueueMessage(HttpServerRequest upgrade, Exchange exchange, LiveConfig live, RouteMatch.Found found,
                                           MessagePayload body, String messageId) {
        RequestData data = RequestData.of(upgrade, exchange, found.pathVariables(), messageId);
        long deadline = System.currentTimeMillis() + live.config().edge().limits().requestTimeoutMillis();
        try {
            return send(data, live, found.route(), body, "application/json", null, deadline);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    /** Renders the rule's message for {@code body} and sends it, retried within the deadline. */
    private Future<QueueRef> send(RequestData data, LiveConfig live, CompiledRoute route, MessagePayload body, String contentType,
                                  String idempotencyHeader, long deadline) {
        RouteConfig.Queue q = route.config().queue();
        QueueSink sink = live.queueSink(q.backend()).orElseThrow();
        QueueBackendConfig backend = live.config().queueBackend(q.backend()).orElseThrow();
        RouteTemplates t = route.templates();
        Context before = data.context(body, Map.of(), Map.of());
        String rendered = t.jobId() == null ? null : t.jobId().render(before);
        String ruleJobId = rendered == null || rendered.isEmpty() ? null : rendered;
        // The client's key names the job when the rule names none, so a repeat finds the same job.
        String jobId = ruleJobId != null ? ruleJobId : idempotencyHeader;
        String key = idempotencyHeader != null ? idempotencyHeader : ruleJobId;
        String queue = t.queueName().render(before);
        QueueMessage message = new QueueMessage(
                queue,
                jobId,
                q.jobName() != null ? q.jobName() : queue,
                t.messageIsWholeBody() ? body : MessagePayload.of(t.message().render(before)),
                options(q, t, before, backend),
                data.requestId(),
                contentType,
                data.tenant(),
                data.exchange().trace().traceparent(),
                data.exchange().trace().tracestate(),
                key == null ? IdempotencyKey.forRetries(deadline) : IdempotencyKey.client(key, BodyFingerprint.of(body.tree())));
        return Retry.withBackoff(vertx, deadline, () -> data.exchange().timedWrite(sink.name(), "queue",
                        () -> sink.send(message)), () -> data.exchange().metrics().retry(sink.name()))
                .recover(e -> {
                    if (!(e instanceof GatewayException g) || g.code().status() >= 500) {
                        data.exchange().backendEvent(sink.name(), "write-failed", "the message was not taken", e);
                    }
                    return Future.failedFuture(e instanceof GatewayException ? e
                            : GatewayException.unavailable("queue backend " + sink.name() + " did not take the message", e));
                })
                .onSuccess(ref -> data.exchange().queued(sink.name(), ref.queue(), ref.jobId()));
    }

    /** The {@code Idempotency-Key} header, held to the job id rules since it may become the job id. */
    private static String idempotencyKeyHeader(HttpServerRequest request) {
        String value = request.getHeader(IDEMPOTENCY_KEY);
        if (value == null) {
            return null;
        }
        if (JobIds.isReserved(value.trim())) {
            throw new GatewayException(ErrorCode.BAD_REQUEST, JobIds.reservedMessage(IDEMPOTENCY_KEY, value.trim()));
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
        Exchange exchange = data.exchange();
        QueueMessage message = new QueueMessage(to, null, to, envelope, JobOptions.NONE, data.requestId(), "application/json",
                data.tenant(), exchange.trace().traceparent(), exchange.trace().tracestate(), IdempotencyKey.forRetries(deadline));
        return Retry.withBackoff(vertx, deadline, () -> exchange.timedWrite(sink.name(), "queue", () -> sink.send(message)),
                () -> exchange.metrics().retry(sink.name())).<Void>mapEmpty().recover(failure -> {
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
                    "application/json", data.tenant(), exchange.trace().traceparent(), exchange.trace().tracestate(),
                    IdempotencyKey.forRetries(deadline));
            exchange.backendEvent(sink.name(), "dead-letter", "follow-up envelope to " + to + " failed, sending it to " + dlq,
                    failure);
            return Retry.withBackoff(vertx, deadline, () -> exchange.timedWrite(sink.name(), "queue",
                            () -> sink.send(deadLetter)), () -> exchange.metrics().retry(sink.name()))
                    .onSuccess(ref -> exchange.metrics().deadLetter(sink.name()))
                    .<Void>mapEmpty()
                    .recover(e -> Future.failedFuture(GatewayException.unavailable(
                            "stored, but the follow-up envelope could not be queued to " + to + " nor to " + dlq, e)));
        });
    }

    /** The answer of a queue rule without a respond body. */
    record QueueAnswer(QueueRef queueRef) {
    }

    /** Answers with the rule's respond templates, or with {@code defaultBody} (any value Jackson writes) when it has none. */
    private static Future<Void> respond(HttpServerRequest request, CompiledRoute route, Context after, int defaultStatus,
                                        Object defaultBody) {
        RouteConfig.Respond respond = route.config().respond();
        RouteTemplates t = route.templates();
        int status = respond == null ? defaultStatus : respond.status();
        RespondHeaders.render(t, after).forEach((name, value) -> request.response().putHeader(name, value));
        Object body = t.respondBody() == null ? defaultBody : t.respondBody().render(after);
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
