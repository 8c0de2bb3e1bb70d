package io.conduit.gateway.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conduit.config.ConfigJson;
import io.conduit.gateway.blob.BlobRef;
import io.conduit.gateway.blob.StoredBlob;
import io.conduit.gateway.config.LiveConfig;
import io.conduit.gateway.edge.Responses;
import io.conduit.gateway.edge.auth.ReadScope;
import io.conduit.gateway.errors.ErrorCode;
import io.conduit.gateway.errors.GatewayException;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway's own read endpoints: {@code GET /v1/blobs/{backend}/{blobId}} (ETag, Range, 304), its
 * metadata {@code GET /v1/blobs/{backend}/{blobId}/meta} (the blobRef and its {@code locations}) and
 * {@code GET /v1/queues/{backend}/{queue}/jobs/{jobId}}. Rules cannot shadow them. With auth, a tenant
 * reads only backends a rule it may call writes to ({@link ReadScope}).
 */
public final class BuiltinEndpoints {
    private static final Pattern BLOB = Pattern.compile("^/v1/blobs/([^/]+)/([^/]+)$");
    private static final Pattern BLOB_META = Pattern.compile("^/v1/blobs/([^/]+)/([^/]+)/meta$");
    private static final Pattern JOB = Pattern.compile("^/v1/queues/([^/]+)/([^/]+)/jobs/([^/]+)$");
    private static final Pattern RANGE = Pattern.compile("^bytes=(\\d*)-(\\d*)$");

    private BuiltinEndpoints() {
    }

    public static boolean owns(String path) {
        return path.startsWith("/v1/blobs/") || path.startsWith("/v1/queues/");
    }

    /** May the caller read this backend's blobs or jobs? Throws the refusal (before the store is asked). */
    @FunctionalInterface
    public interface ReadCheck {
        void check(ReadScope.Kind kind, String backend);
    }

    public static Future<Void> handle(HttpServerRequest request, LiveConfig live, ReadCheck allowed) {
        String path = request.path();
        if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
            request.response().putHeader(HttpHeaders.ALLOW, "GET, HEAD");
            return Future.failedFuture(new GatewayException(ErrorCode.METHOD_NOT_ALLOWED, "use GET or HEAD"));
        }
        Matcher blob = BLOB.matcher(path);
        if (blob.matches()) {
            allowed.check(ReadScope.Kind.BLOB, decode(blob.group(1)));
            return blob(request, live, decode(blob.group(1)), decode(blob.group(2)));
        }
        Matcher meta = BLOB_META.matcher(path);
        if (meta.matches()) {
            allowed.check(ReadScope.Kind.BLOB, decode(meta.group(1)));
            return meta(request, live, decode(meta.group(1)), decode(meta.group(2)));
        }
        Matcher job = JOB.matcher(path);
        if (job.matches()) {
            String backend = decode(job.group(1));
            allowed.check(ReadScope.Kind.JOB, backend);
            return live.queueSink(backend)
                    .map(sink -> sink.status(decode(job.group(2)), decode(job.group(3))))
                    .orElseGet(() -> Future.failedFuture(new GatewayException(ErrorCode.NOT_FOUND,
                            "no queue backend named " + backend)))
                    .map(status -> {
                        Responses.json(request, 200, ConfigJson.MAPPER.valueToTree(status));
                        return null;
                    });
        }
        return Future.failedFuture(new GatewayException(ErrorCode.NOT_FOUND, "no such endpoint"));
    }

    private static Future<Void> blob(HttpServerRequest request, LiveConfig live, String backend, String blobId) {
        return live.blobSink(backend)
                .map(sink -> sink.find(blobId))
                .orElseGet(() -> Future.failedFuture(new GatewayException(ErrorCode.NOT_FOUND, "no blob backend named " + backend)))
                .compose(found -> found
                        .map(b -> send(request, b))
                        .orElseGet(() -> Future.failedFuture(new GatewayException(ErrorCode.NOT_FOUND,
                                "no blob " + blobId + " in " + backend))));
    }

    /** The blobRef with {@code locations}: the primary and each mirror, {@code synced} or not yet (seed 003). */
    private static Future<Void> meta(HttpServerRequest request, LiveConfig live, String backend, String blobId) {
        var sink = live.blobSink(backend);
        if (sink.isEmpty()) {
            return Future.failedFuture(new GatewayException(ErrorCode.NOT_FOUND, "no blob backend named " + backend));
        }
        return sink.get().find(blobId).compose(found -> {
            if (found.isEmpty()) {
                return Future.failedFuture(new GatewayException(ErrorCode.NOT_FOUND, "no blob " + blobId + " in " + backend));
            }
            BlobRef ref = found.get().ref();
            return sink.get().locations(ref).map(locations -> {
                var json = ConfigJson.MAPPER.<ObjectNode>valueToTree(ref);
                json.set("locations", ConfigJson.MAPPER.valueToTree(locations));
                Responses.json(request, 200, json);
                return null;
            });
        });
    }

    private static Future<Void> send(HttpServerRequest request, StoredBlob blob) {
        BlobRef ref = blob.ref();
        HttpServerResponse response = request.response();
        StoredBytesHeaders.apply(response, ref.mime(), ref.filename());
        String etag = ref.sha256() == null ? null : "\"" + ref.sha256() + "\"";
        if (etag != null) {
            response.putHeader(HttpHeaders.ETAG, etag);
            if (matchesAny(request.getHeader(HttpHeaders.IF_NONE_MATCH), etag)) {
                response.setStatusCode(304).end();
                return Future.succeededFuture();
            }
        }
        response.putHeader(HttpHeaders.CONTENT_TYPE, ref.mime());
        response.putHeader(HttpHeaders.ACCEPT_RANGES, "bytes");
        if (ref.sha256() != null) {
            response.putHeader("X-Conduit-Sha256", ref.sha256());
        }
        long size = ref.size();
        long offset = 0;
        long length = size;
        String range = request.getHeader("Range");
        // Only a single bytes range is served partially; anything else gets the whole blob (RFC 9110 allows it).
        Matcher m = range == null ? null : RANGE.matcher(range.trim());
        if (m != null && m.matches() && !(m.group(1).isEmpty() && m.group(2).isEmpty())) {
            long start;
            long end;
            try {
                if (m.group(1).isEmpty()) {
                    long suffix = Long.parseLong(m.group(2));
                    start = Math.max(0, size - suffix);
                    end = size - 1;
                } else {
                    start = Long.parseLong(m.group(1));
                    end = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
                }
            } catch (NumberFormatException tooLarge) {
                return unsatisfiable(response, size);
            }
            if (start >= size || start > end) {
                return unsatisfiable(response, size);
            }
            offset = start;
            length = end - start + 1;
            response.setStatusCode(206).putHeader(HttpHeaders.CONTENT_RANGE, "bytes " + start + "-" + end + "/" + size);
        }
        if (request.method() == HttpMethod.HEAD) {
            response.putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(length)).end();
            return Future.succeededFuture();
        }
        // The store serves the bytes itself (a presigned URL); a Range header goes along with the redirect.
        if (blob.redirect().isPresent()) {
            response.headers().remove(HttpHeaders.CONTENT_RANGE);
            response.setStatusCode(302).putHeader(HttpHeaders.LOCATION, blob.redirect().get()).end();
            return Future.succeededFuture();
        }
        return blob.send(response, offset, length);
    }

    private static Future<Void> unsatisfiable(HttpServerResponse response, long size) {
        response.setStatusCode(416).putHeader(HttpHeaders.CONTENT_RANGE, "bytes */" + size).end();
        return Future.succeededFuture();
    }

    /** If-None-Match holds a list of tags, possibly weak, or {@code *}; any match means the client has it. */
    private static boolean matchesAny(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String tag : ifNoneMatch.split(",")) {
            String t = tag.trim();
            if (t.equals("*") || t.equals(etag) || t.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }

    private static String decode(String segment) {
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            throw new GatewayException(ErrorCode.NOT_FOUND, "no such endpoint");
        }
    }
}
