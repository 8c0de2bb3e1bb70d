package io.conduit.gateway.blob.local;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conduit.config.ConfigJson;
import io.conduit.gateway.blob.BlobDigest;
import io.conduit.gateway.blob.BlobMeta;
import io.conduit.gateway.blob.BlobRef;
import io.conduit.gateway.blob.BlobSink;
import io.conduit.gateway.blob.BlobWriter;
import io.conduit.gateway.blob.StoredBlob;
import io.conduit.gateway.storage.DurableFiles;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.streams.WriteStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A directory of content-addressed blobs (seed 003): {@code sha256/ab/cd/<hash>} with a
 * {@code <hash>.meta.json} sidecar. Bytes stream into {@code .tmp/}, are fsynced, then renamed into
 * place atomically; when the hash is already there the new copy is dropped, so content is stored once.
 * The blobId is the hash.
 */
public final class LocalBlobSink implements BlobSink {
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
    private static final long STALE_TEMP_MILLIS = 3_600_000;

    private final Vertx vertx;
    private final String name;
    private final Path root;
    private final Path tmp;

    public LocalBlobSink(Vertx vertx, String name, Path root) throws IOException {
        this.vertx = vertx;
        this.name = name;
        this.root = root.toAbsolutePath().normalize();
        this.tmp = this.root.resolve(".tmp");
        Files.createDirectories(tmp);
        sweepStaleTempFiles();
    }

    /** Temp files left by a crash are never published; after an hour no upload can still own one. */
    private void sweepStaleTempFiles() throws IOException {
        long cutoff = System.currentTimeMillis() - STALE_TEMP_MILLIS;
        try (var files = Files.list(tmp)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.getLastModifiedTime(f).toMillis() < cutoff) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }

    @Override
    public String name() {
        return name;
    }

    Path root() {
        return root;
    }

    /** A blobRef's {@code path}: under the backend's root, so clients never learn the server's file system layout. */
    private String relative(Path file) {
        return root.relativize(file).toString().replace(File.separatorChar, '/');
    }

    @Override
    public Future<BlobWriter> open(BlobMeta meta) {
        Path file = tmp.resolve(UUID.randomUUID() + ".part");
        return vertx.fileSystem()
                .open(file.toString(), new OpenOptions().setWrite(true).setCreateNew(true))
                .map(f -> new Writer(f, file, meta));
    }

    @Override
    public Future<Optional<StoredBlob>> find(String blobId) {
        if (!HASH.matcher(blobId).matches()) {
            return Future.succeededFuture(Optional.empty());
        }
        Path data = dataPath(blobId);
        Path metaFile = metaPath(blobId);
        return vertx.executeBlocking(() -> {
            if (!Files.isRegularFile(data)) {
                return Optional.<StoredBlob>empty();
            }
            String mime = "application/octet-stream";
            String filename = null;
            if (Files.isRegularFile(metaFile)) {
                var meta = ConfigJson.MAPPER.readTree(metaFile.toFile());
                mime = meta.path("mime").asText(mime);
                filename = meta.hasNonNull("filename") ? meta.get("filename").asText() : null;
            }
            BlobRef ref = new BlobRef(blobId, "local", name, blobId, Files.size(data), mime, null, null, relative(data),
                    null, filename);
            return Optional.of(new StoredBlob() {
                @Override
                public BlobRef ref() {
                    return ref;
                }

                @Override
                public Future<Void> send(HttpServerResponse response, long offset, long length) {
                    return response.sendFile(data.toString(), offset, length);
                }

                @Override
                public Future<Void> copyTo(WriteStream<Buffer> target) {
                    return vertx.fileSystem().open(data.toString(), new OpenOptions().setRead(true))
                            .compose(f -> f.pipeTo(target).eventually(f::close));
                }
            });
        }, false);
    }

    private Path dataPath(String hash) {
        return root.resolve("sha256").resolve(hash.substring(0, 2)).resolve(hash.substring(2, 4)).resolve(hash);
    }

    private Path metaPath(String hash) {
        return dataPath(hash).resolveSibling(hash + ".meta.json");
    }

    @Override
    public void close() {
        // Nothing held open between requests.
    }

    private final class Writer implements BlobWriter {
        private final AsyncFile file;
        private final Path path;
        private final BlobMeta meta;
        private boolean closed;
        private Future<Void> finished;

        Writer(AsyncFile file, Path path, BlobMeta meta) {
            this.file = file;
            this.path = path;
            this.meta = meta;
        }

        @Override
        public Future<Void> write(Buffer chunk) {
            return file.write(chunk);
        }

        @Override
        public boolean writeQueueFull() {
            return file.writeQueueFull();
        }

        @Override
        public void drainHandler(Handler<Void> handler) {
            file.drainHandler(handler);
        }

        @Override
        public Future<BlobRef> commit(BlobDigest digest) {
            if (digest.sha256() == null) {
                return abort().compose(v -> Future.failedFuture(new IllegalStateException("local blobs need their sha256")));
            }
            return finish(digest)
                    .compose(v -> vertx.executeBlocking(() -> place(digest), false))
                    .recover(failure -> abort().transform(ignored -> Future.failedFuture(failure)));
        }

        private BlobRef place(BlobDigest digest) throws IOException {
            String hash = digest.sha256();
            Path target = dataPath(hash);
            Files.createDirectories(target.getParent());
            try {
                Files.createLink(target, path);
            } catch (FileAlreadyExistsException alreadyStored) {
                // Same bytes stored before: keep the first copy, unless it is not whole (a crash mid-way
                // on a filesystem without ordered writes): then this complete copy replaces it.
                if (Files.size(target) != digest.size()) {
                    Files.move(path, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            DurableFiles.syncFolder(target.getParent());
            Files.deleteIfExists(path);
            writeMetaOnce(metaPath(hash), digest);
            return new BlobRef(hash, "local", name, hash, digest.size(), digest.mime(), null, null, relative(target), null,
                    meta.filename());
        }

        private void writeMetaOnce(Path metaFile, BlobDigest digest) throws IOException {
            if (Files.exists(metaFile)) {
                return;
            }
            ObjectNode json = JsonNodeFactory.instance.objectNode()
                    .put("id", "sha256:" + digest.sha256())
                    .put("sha256", digest.sha256())
                    .put("size", digest.size())
                    .put("mime", digest.mime())
                    .put("filename", meta.filename())
                    .put("created", Instant.now().toString());
            json.putArray("locations").addObject().put("backend", name).put("synced", true);
            Path part = tmp.resolve(UUID.randomUUID() + ".meta");
            try {
                DurableFiles.writeNew(part, ConfigJson.write(json).getBytes(StandardCharsets.UTF_8));
                Files.move(part, metaFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(part);
            }
            DurableFiles.syncFolder(metaFile.getParent());
        }

        /**
         * AsyncFile.flush forces the bytes to disk; only then is the rename a durable publication. The descriptor is
         * closed here, so a multipart body of many files holds one open file at a time, not one per finished file.
         */
        @Override
        public Future<Void> finish(BlobDigest digest) {
            if (finished == null) {
                finished = file.flush().compose(v -> closeFile());
            }
            return finished;
        }

        private Future<Void> closeFile() {
            if (closed) {
                return Future.succeededFuture();
            }
            closed = true;
            return file.close();
        }

        @Override
        public Future<Void> abort() {
            return closeFile().recover(e -> Future.succeededFuture())
                    .compose(v -> vertx.executeBlocking(() -> Files.deleteIfExists(path), false))
                    .mapEmpty();
        }
    }
}
