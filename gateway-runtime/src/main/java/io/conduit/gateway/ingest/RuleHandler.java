package io.conduit.gateway.ingest;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.conduit.config.RouteConfig;
import io.conduit.gateway.blob.BlobSink;
import io.conduit.gateway.blob.BlobWriter;
import io.conduit.gateway.config.LiveConfig;
import io.conduit.gateway.edge.Responses;
import io.conduit.gateway.edge.limits.BodyProgress;
import io.conduit.gateway.edge.logging.Exchange;
import io.conduit.gateway.errors.ErrorCode;
import io.conduit.gateway.errors.GatewayException;
import io.conduit.gateway.queue.MessagePayload;
import io.conduit.gateway.queue.QueueRef;
import io.conduit.gateway.routing.CompiledRoute;
import io.conduit.gateway.routing.RouteMatch;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs one matched rule as named steps: stage the body ({@link BlobStage}) or read it, commit
 * ({@link BlobCommit}) or enqueue ({@link Enqueue}), build the reference ({@link Reference}), send the
 * follow-up ({@link FollowUp}), respond ({@link Respond}). Nothing is answered 2xx before the sink has
 * durably taken the data; a failure part way aborts what was written.
 */
public final class RuleHandler {
    /** Queue rules carry messages, not payloads: bigger bodies belong in a blob rule. */
    public static final long QUEUE_BODY_LIMIT = 1L << 20;

    private final BlobStage stage;
    private final Enqueue enqueue;
    private final FollowUp followUp;

    public RuleHandler(Vertx vertx) {
        QueueSend queues = new QueueSend(vertx);
        this.stage = new BlobStage(vertx);
        this.enqueue = new Enqueue(queues);
        this.followUp = new FollowUp(queues);
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
        Future<BlobStage.Staged> staged = multipart
                ? stage.multipart(request, data, route, sink, limit, maxBody, broken, opened, progress,
                        live.config().edge().limits().requestTimeoutMillis())
                : stage.one(request, data, route, sink, limit, BlobStage.filenameFrom(request.getHeader("Content-Disposition")),
                        contentType == null ? null : CompiledRoute.baseType(contentType), broken.future(), opened, progress)
                        .map(part -> new BlobStage.Staged(List.of(part), JsonNodeFactory.instance.objectNode()));
        return staged
                .compose(s -> {
                    // Header values from the form are known now: a bad one publishes nothing.
                    RespondHeaders.render(route.templates(), data.context(MessagePayload.of(s.fields()), Map.of(), Map.of()));
                    return data.exchange().timedWrite(blob.backend(), "blob", () -> BlobCommit.commitAll(s.parts()))
                            .map(refs -> new BlobCommit.Stored(refs, s.fields()));
                })
                .recover(failure -> BlobCommit.abortAll(opened).transform(v -> Future.failedFuture(Failures.fromSink(failure))))
                .compose(s -> {
                    s.refs().forEach(r -> data.exchange().blobStored(r.backendName(), r.blobId()));
                    Reference ref = Reference.ofBlobs(data, s.refs(), s.fields());
                    return followUp.send(live, route, ref.after(), data)
                            .compose(v -> Respond.answer(request, route, ref.after(), 201, ref.defaultBody()));
                });
    }

    // ---- queue rules -------------------------------------------------------------------------

    private Future<Void> queue(HttpServerRequest request, RequestData data, LiveConfig live, CompiledRoute route, long maxBody,
                               BodyProgress progress) {
        long limit = Math.min(QUEUE_BODY_LIMIT, maxBody);
        rejectDeclaredOversize(request, limit);
        continueIfExpected(request);
        long deadline = System.currentTimeMillis() + live.config().edge().limits().requestTimeoutMillis();
        String idempotencyHeader = Enqueue.idempotencyKeyHeader(request);
        return BodyReader.read(request, limit, progress).compose(body -> {
            // Checked before the send: a bad header value must not leave a queued message for a retry to duplicate.
            RespondHeaders.render(route.templates(), data.context(body, Map.of(), Map.of()));
            return enqueue.send(data, live, route, body, request.getHeader(HttpHeaders.CONTENT_TYPE), idempotencyHeader, deadline)
                    .compose(queued -> {
                        Reference ref = Reference.ofQueue(data, body, queued);
                        // A repeat wrote nothing, so it sends no second follow-up either.
                        Future<Void> followed = queued.duplicate() ? Future.succeededFuture()
                                : followUp.send(live, route, ref.after(), data);
                        return followed.compose(v -> Respond.answer(request, route, ref.after(), 202, ref.defaultBody()));
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
            return enqueue.send(data, live, found.route(), body, "application/json", null, deadline);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    // ---- checks made from the headers ----------------------------------------------------------

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
}
