package io.conduit.gateway.blob;

import io.conduit.config.ConfigJson;
import io.conduit.gateway.storage.DurableFiles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A spool folder, one small JSON file per entry, forced to disk (file and folder) before it counts.
 * Only this gateway reads it, so it is read once, at start. File work runs on worker threads.
 */
final class FolderMirrorSpool implements MirrorSpool {
    private static final Logger LOG = LoggerFactory.getLogger(FolderMirrorSpool.class);
    private final Vertx vertx;
    private final Path dir;
    private final AtomicBoolean read = new AtomicBoolean();

    /** Creates the folder now, so a backend whose spool cannot be written is refused with its config. Blocking. */
    FolderMirrorSpool(Vertx vertx, Path dir) throws IOException {
        this.vertx = vertx;
        this.dir = dir.toAbsolutePath().normalize();
        Files.createDirectories(this.dir);
    }

    Path dir() {
        return dir;
    }

    /** Whether the folder holds entries (for a spool that moved elsewhere). Blocking. */
    static boolean holdsEntries(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (var files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".json"));
        }
    }

    /** The whole folder, on the first call only: nobody else writes it. */
    @Override
    public Future<Void> adopt(Set<String> held, Consumer<Held> take) {
        if (!read.compareAndSet(false, true)) {
            return Future.succeededFuture();
        }
        return vertx.executeBlocking(() -> {
            List<Held> found = new ArrayList<>();
            try (var files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    String name = f.getFileName().toString();
                    if (name.endsWith(".part")) {
                        Files.deleteIfExists(f); // never published: its upload was not answered 2xx
                    } else if (name.endsWith(".json") && !held.contains(name)) {
                        try {
                            found.add(new Held(name, ConfigJson.MAPPER.readValue(f.toFile(), MirrorEntry.class)));
                        } catch (IOException e) {
                            // Set aside, not deleted: a person may still make out which blob it meant.
                            LOG.warn("mirror spool {}: entry {} is unreadable, set aside as {}.unreadable: {}", dir, name,
                                    name, e.getMessage());
                            Files.move(f, f.resolveSibling(name + ".unreadable"), StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
            }
            return found;
        }, false).map(found -> {
            found.forEach(take);
            return null;
        });
    }

    @Override
    public long rescanMillis() {
        return 0;
    }

    @Override
    public Future<Void> keepAlive() {
        return Future.succeededFuture();
    }

    @Override
    public Future<String> add(MirrorEntry entry) {
        return vertx.executeBlocking(() -> {
            String id = System.currentTimeMillis() + "-" + UUID.randomUUID() + ".json";
            publish(dir.resolve(id), entry);
            return id;
        }, false);
    }

    @Override
    public Future<Void> replace(String id, MirrorEntry entry) {
        return vertx.executeBlocking(() -> {
            publish(dir.resolve(id), entry);
            return null;
        }, false);
    }

    @Override
    public Future<Void> remove(String id) {
        return vertx.executeBlocking(() -> {
            Files.deleteIfExists(dir.resolve(id));
            return null;
        }, false);
    }

    @Override
    public Future<Void> release() {
        return Future.succeededFuture();
    }

    /** Writes beside, forces to disk, renames into place: a reader sees the old entry or the new, whole. */
    private void publish(Path file, MirrorEntry entry) throws IOException {
        Path part = file.resolveSibling(file.getFileName() + "." + UUID.randomUUID() + ".part");
        try {
            DurableFiles.writeNew(part, ConfigJson.write(entry).getBytes(StandardCharsets.UTF_8));
            Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(part);
        }
        DurableFiles.syncFolder(dir);
    }
}
