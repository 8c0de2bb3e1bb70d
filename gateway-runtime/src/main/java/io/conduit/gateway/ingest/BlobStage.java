package io.conduit.gateway.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conduit.gateway.blob.BlobDigest;
import io.conduit.gateway.blob.BlobMeta;
import io.conduit.gateway.blob.BlobSink;
import io.conduit.gateway.blob.BlobWriter;
import io.conduit.gateway.edge.limits.BodyProgress;
import io.conduit.gateway.errors.ErrorCode;
import io.conduit.gateway.errors.GatewayException;
import io.conduit.gateway.queue.JobIds;
import io.conduit.gateway.routing.CompiledRoute;
import io.conduit.template.Name;
import io.conduit.template.RouteTemplates;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The first step of a blob rule: streams the body (or each file of a multipart body) into a new writer
 * of the sink. Nothing is published here; every writer opened is added to {@code opened}, so a failure
 * later can abort it.
 */
final class BlobStage {
    private static final Pattern FILENAME = Pattern.compile("filename=\"?([^\";]+)\"?");

    /** One body streamed into its writer, not yet published. */
    record Part(BlobWriter writer, BlobDigest digest) {
    }

    /** Every part of a request streamed, and the form fields that came with them. */
    record Staged(List<Part> parts, JsonNode fields) {
    }

    private final Vertx vertx;

    BlobStage(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Streams every file part of a multipart body into its own writer; the form fields come with them. */
    Future<Staged> multipart(HttpServerRequest request, RequestData data, CompiledRoute route, BlobSink sink,
                                          long limit, long maxBody, Promise<Void> broken, List<BlobWriter> opened,
                                          BodyProgress progress, long graceMillis) {
        Promise<Void> ended = Promise.promise();
        List<Future<Part>> parts = new ArrayList<>();
        long[] total = {0};
        ClosingBoundary closing = ClosingBoundary.of(request.getHeader(HttpHeaders.CONTENT_TYPE));
        request.setExpectMultipart(true);
        request.uploadHandler(upload -> {
            // A finished file gives back its part buffer or descriptor now; it is published with the others at the end.
            Future<Part> part = one(upload, data, route, sink, limit, upload.filename(), upload.contentType(),
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
    Future<Part> one(ReadStream<Buffer> body, RequestData data, CompiledRoute route, BlobSink sink, long limit,
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

    static String filenameFrom(String contentDisposition) {
        if (contentDisposition == null) {
            return null;
        }
        var m = FILENAME.matcher(contentDisposition);
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
