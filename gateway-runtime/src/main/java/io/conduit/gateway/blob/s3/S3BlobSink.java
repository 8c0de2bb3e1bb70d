package io.conduit.gateway.blob.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conduit.config.BlobBackendConfig;
import io.conduit.config.ConfigJson;
import io.conduit.gateway.blob.BlobKeys;
import io.conduit.gateway.blob.BlobMeta;
import io.conduit.gateway.blob.BlobRef;
import io.conduit.gateway.blob.BlobSink;
import io.conduit.gateway.blob.BlobWriter;
import io.conduit.gateway.blob.MimeSniffer;
import io.conduit.gateway.blob.StoredBlob;
import io.conduit.gateway.errors.ErrorCode;
import io.conduit.gateway.errors.GatewayException;
import io.conduit.template.Context;
import io.conduit.template.Name;
import io.conduit.template.Root;
import io.conduit.template.Scope;
import io.conduit.template.StringTemplate;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.streams.WriteStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A bucket (or S3-compatible store) as a blob backend. Uploads stream into multipart uploads
 * ({@link S3Upload}); keys come from the backend's keyTemplate, a rule's key, or the content hash
 * ({@code sha256/ab/cd/<hash>}, stored once). For template keys a small index record
 * ({@code <prefix>.conduit/blobs/<blobId>.json}) maps the blobId to its key, sha256 and type, so
 * {@code GET /v1/blobs/...} finds any blob by id alone.
 */
public final class S3BlobSink implements BlobSink {
    static final String BACKEND = "s3";
    static final String INTERNAL = ".conduit/";
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
    private static final Set<String> PASSING_4XX = Set.of("RequestTimeout", "SlowDown", "Throttling", "ThrottlingException",
            "ExpiredToken", "TokenRefreshRequired", "RequestTimeTooSkewed", "OperationAborted");
    private static final Pattern BLOB_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

    private final Vertx vertx;
    private final String name;
    private final BlobBackendConfig config;
    private final BlobBackendConfig.S3 s3;
    private final S3Clients clients;
    private final StringTemplate keyTemplate;
    private final String prefix;
    private final PendingAborts pendingAborts;

    public S3BlobSink(Vertx vertx, BlobBackendConfig config, Map<String, String> credentials, Duration callTimeout) {
        this(vertx, config, credentials, callTimeout, null);
    }

    /** {@code abortsFolder}: where multipart uploads still to abort are recorded; null keeps no record. */
    public S3BlobSink(Vertx vertx, BlobBackendConfig config, Map<String, String> credentials, Duration callTimeout,
                      Path abortsFolder) {
        this.vertx = vertx;
        this.name = config.name();
        this.config = config;
        this.s3 = config.s3();
        this.keyTemplate = config.contentAddressed() ? null : StringTemplate.compile(
                config.keyTemplate() == null ? BlobBackendConfig.DEFAULT_KEY_TEMPLATE : config.keyTemplate(),
                Scope.backendKey(), "keyTemplate");
        String p = s3.prefix() == null ? "" : s3.prefix().replaceAll("^/+", "");
        this.prefix = p.isEmpty() || p.endsWith("/") ? p : p + "/";
        this.clients = S3Clients.create(s3, credentials, callTimeout);
        this.pendingAborts = abortsFolder == null ? null : new PendingAborts(vertx, this, abortsFolder);
    }

    /**
     * Records a multipart upload that could not be aborted now ({@code uploadId} null: its create call failed, so one
     * may exist without our knowing its id); it is aborted in the background, across restarts, once the store is back.
     */
    Future<Void> abortLater(String key, String uploadId) {
        if (pendingAborts == null) {
            return Future.succeededFuture();
        }
        return pendingAborts.add(key, uploadId).onFailure(e -> org.slf4j.LoggerFactory.getLogger(S3BlobSink.class).warn(
                "cannot record multipart upload {} of s3://{}/{} for a later abort; a bucket lifecycle rule "
                        + "(AbortIncompleteMultipartUpload) will have to: {}", uploadId, bucket(), key, e.getMessage()));
    }

    @Override
    public String name() {
        return name;
    }

    public String bucket() {
        return s3.bucket();
    }

    public S3Clients clients() {
        return clients;
    }

    BlobBackendConfig.S3 settings() {
        return s3;
    }

    public Vertx vertx() {
        return vertx;
    }

    @Override
    public Future<BlobWriter> open(BlobMeta meta) {
        // A rule's key wins over the backend layout; content addressing applies only when neither names a key.
        boolean byHash = config.contentAddressed() && meta.key() == null;
        String key;
        try {
            key = byHash ? prefix + INTERNAL + "tmp/" + meta.blobId() : prefix + BlobKeys.requireSafe(meta.key() != null
                    ? meta.key() : keyTemplate.render(keyContext(meta)));
        } catch (GatewayException refused) {
            return Future.failedFuture(refused);
        }
        return Future.succeededFuture(new S3Upload(this, vertx.getOrCreateContext(), meta, key, byHash));
    }

    private static Context keyContext(BlobMeta meta) {
        Map<Name, String> names = new EnumMap<>(Name.class);
        names.put(Name.BLOB_ID, meta.blobId());
        names.put(Name.FILENAME, meta.filename() == null ? "" : meta.filename());
        names.put(Name.EXT, extension(meta.filename()));
        if (meta.requestId() != null) {
            names.put(Name.REQUEST_ID, meta.requestId());
        }
        Map<Root, JsonNode> roots = new EnumMap<>(Root.class);
        roots.put(Root.REQUEST, JsonNodeFactory.instance.objectNode().put("id", meta.requestId()));
        return new Context(roots, names, ZonedDateTime.now(ZoneOffset.UTC));
    }

    private static String extension(String filename) {
        if (filename == null) {
            return "";
        }
        int dot = filename.lastIndexOf('.');
        return dot < 0 || dot == filename.length() - 1 ? "" : filename.substring(dot + 1);
    }

    /** Where content-addressed bytes live. */
    String hashKey(String sha256) {
        return prefix + "sha256/" + sha256.substring(0, 2) + "/" + sha256.substring(2, 4) + "/" + sha256;
    }

    String indexKey(String blobId) {
        return internalKey("blobs/" + blobId + ".json");
    }

    /** A key of the gateway's own records, under the backend's prefix. */
    public String internalKey(String path) {
        return prefix + INTERNAL + path;
    }

    /** Records where a template-keyed blob went; written after its bytes, before the client hears of it. */
    Future<Void> writeIndex(BlobRef ref, io.vertx.core.Context context) {
        ObjectNode json = JsonNodeFactory.instance.objectNode()
                .put("blobId", ref.blobId())
                .put("bucket", ref.bucket())
                .put("key", ref.key())
                .put("sha256", ref.sha256())
                .put("size", ref.size())
                .put("mime", ref.mime())
                .put("filename", ref.filename())
                .put("created", Instant.now().toString());
        byte[] bytes = ConfigJson.write(json).getBytes(StandardCharsets.UTF_8);
        return call(context, clients.client().putObject(b -> b.bucket(bucket()).key(indexKey(ref.blobId()))
                .contentType("application/json"), AsyncRequestBody.fromBytes(bytes))).mapEmpty();
    }

    @Override
    public Future<Optional<StoredBlob>> find(String blobId) {
        io.vertx.core.Context context = vertx.getOrCreateContext();
        if (HASH.matcher(blobId).matches() && config.contentAddressed()) {
            String key = hashKey(blobId);
            return missingAsEmpty(call(context, clients.client().headObject(b -> b.bucket(bucket()).key(key)))
                    .map(head -> ref(blobId, key, head)))
                    .compose(ref -> ref.isEmpty() ? Future.succeededFuture(Optional.empty()) : stored(ref.get()));
        }
        if (!BLOB_ID.matcher(blobId).matches()) {
            return Future.succeededFuture(Optional.empty());
        }
        return missingAsEmpty(call(context, clients.client().getObject(b -> b.bucket(bucket()).key(indexKey(blobId)),
                AsyncResponseTransformer.toBytes())).map(bytes -> fromIndex(bytes.asByteArray())))
                .compose(ref -> ref.isEmpty() ? Future.succeededFuture(Optional.empty()) : stored(ref.get()));
    }

    private BlobRef ref(String hash, String key, HeadObjectResponse head) {
        String sha = head.metadata().getOrDefault("sha256", hash);
        return new BlobRef(hash, BACKEND, name, sha, head.contentLength(), head.contentType(), bucket(), key, null, null,
                S3Upload.decodeMeta(head.metadata().get("filename")));
    }

    private BlobRef fromIndex(byte[] bytes) {
        try {
            JsonNode j = ConfigJson.MAPPER.readTree(bytes);
            return new BlobRef(j.path("blobId").asText(), BACKEND, name, text(j, "sha256"), j.path("size").asLong(),
                    j.path("mime").asText(MimeSniffer.OCTET_STREAM), bucket(), j.path("key").asText(), null, null,
                    text(j, "filename"));
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable blob index record", e);
        }
    }

    private static String text(JsonNode j, String field) {
        return j.hasNonNull(field) ? j.get(field).asText() : null;
    }

    private Future<Optional<StoredBlob>> stored(BlobRef found) {
        return presign(found.key()).map(url -> {
            BlobRef ref = url == null ? found : withUrl(found, url);
            String redirect = config.presignRedirect() ? url : null;
            return Optional.of(new StoredBlob() {
                @Override
                public BlobRef ref() {
                    return ref;
                }

                @Override
                public Optional<String> redirect() {
                    return Optional.ofNullable(redirect);
                }

                @Override
                public Future<Void> send(HttpServerResponse response, long offset, long length) {
                    return S3Download.send(S3BlobSink.this, ref.key(), offset, length, response);
                }

                @Override
                public Future<Void> copyTo(WriteStream<Buffer> target) {
                    return S3Download.copy(S3BlobSink.this, ref.key(), ref.size(), target);
                }
            });
        });
    }

    static BlobRef withUrl(BlobRef r, String url) {
        return new BlobRef(r.blobId(), r.backend(), r.backendName(), r.sha256(), r.size(), r.mime(), r.bucket(), r.key(),
                r.path(), url, r.filename());
    }

    /** A presigned GET URL when the backend has a presign ttl, else null. Off the event loop: credentials may be fetched. */
    Future<String> presign(String key) {
        if (config.presignTtlMillis() == null) {
            return Future.succeededFuture(null);
        }
        return vertx.executeBlocking(() -> clients.presigner().presignGetObject(p -> p
                .signatureDuration(Duration.ofMillis(config.presignTtlMillis()))
                .getObjectRequest(g -> g.bucket(bucket()).key(key))).url().toString(), false);
    }

    /**
     * The SDK's future as a Vert.x future completed on {@code context}. S3's permanent refusals become 502
     * (backend refused, no Retry-After); anything else (5xx, throttling, connection errors) 503 (backend unavailable).
     */
    public static <T> Future<T> call(io.vertx.core.Context context, CompletableFuture<T> call) {
        return Future.fromCompletionStage(call, context).recover(e -> Future.failedFuture(
                isMissing(e) || e instanceof GatewayException ? e : failure(e)));
    }

    static GatewayException failure(Throwable e) {
        return isRefusal(e)
                ? new GatewayException(ErrorCode.BACKEND_REFUSED, "S3 refused the call: " + rootMessage(e), null, e)
                : GatewayException.unavailable("S3 call failed: " + rootMessage(e), e);
    }

    /**
     * A 4xx the same call would get again: a signature, permission or request error. Not one that passes
     * (timeouts, throttling, an expired session token the provider renews, a conflicting operation) nor 404,
     * which callers read as "missing".
     */
    static boolean isRefusal(Throwable e) {
        if (!(unwrap(e) instanceof AwsServiceException s) || s.statusCode() < 400 || s.statusCode() >= 500) {
            return false;
        }
        String code = s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorCode();
        return s.statusCode() != 404 && s.statusCode() != 408 && s.statusCode() != 429
                && (code == null || !PASSING_4XX.contains(code));
    }

    private static <T> Future<Optional<T>> missingAsEmpty(Future<T> f) {
        return f.map(Optional::of).recover(e -> isMissing(e) ? Future.succeededFuture(Optional.empty()) : Future.failedFuture(e));
    }

    public static boolean isMissing(Throwable e) {
        Throwable t = unwrap(e);
        return t instanceof NoSuchKeyException || (t instanceof S3Exception s && s.statusCode() == 404);
    }

    static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = unwrap(e);
        return String.valueOf(t.getMessage());
    }

    @Override
    public void close() {
        if (pendingAborts != null) {
            pendingAborts.close();
        }
        clients.close();
    }
}
