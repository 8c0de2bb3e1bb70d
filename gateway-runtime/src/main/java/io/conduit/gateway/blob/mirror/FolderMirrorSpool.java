package io.conduit.gateway.blob.mirror;

import io.conduit.config.ConfigJson;
import io.conduit.gateway.storage.DurableFiles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A spool folder, one small JSON file per entry, forced to disk (file and folder) before it counts.
 * Read at start, then every half minute for entries no queue of this process holds. File work runs on
 * worker threads.
 */
final class FolderMirrorSpool implements MirrorSpool {
    private static final Logger LOG = LoggerFactory.getLogger(FolderMirrorSpool.class);
    private static final Duration RESCAN = Duration.ofSeconds(30);
    private static final Duration ABANDONED_AFTER = Duration.ofMinutes(10);
    private final Vertx vertx;
    private final Path dir;

    /** Creates the folder now, so a backend whose spool cannot be written is refused with its config. Blocking. */
    FolderMirrorSpool(Vertx vertx, Path dir) throws IOException {
        this.vertx = vertx;
        this.dir = dir.toAbsolutePath().normalize();
        Files.createDirectories(this.dir);
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

    /**
     * The folder's entries this queue does not hold. Read at start and again now and then: after a
     * reload that rebuilt the backend, the retiring queue may still write entries here after the new
     * one first looked.
     */
    @Override
    public Future<Void> adopt(Set<String> held, Consumer<Held> take) {
        return vertx.executeBlocking(() -> {
            List<Held> found = new ArrayList<>();
            List<Path> names;
            try (var files = Files.list(dir)) {
                names = files.toList();
            }
            for (Path f : names) {
                String name = f.getFileName().toString();
                if (name.endsWith(".part")) {
                    deleteIfAbandoned(f);
                } else if (name.endsWith(".json") && !held.contains(name)) {
                    read(f).ifPresent(entry -> found.add(new Held(name, entry)));
                }
            }
            return found;
        }, false).map(found -> {
            found.forEach(take);
            return null;
        });
    }

    /** A {@code .part} file is written and renamed within moments; one left for long was never published (no 2xx). */
    private static void deleteIfAbandoned(Path part) {
        try {
            if (Files.getLastModifiedTime(part).toInstant().isBefore(Instant.now().minus(ABANDONED_AFTER))) {
                Files.deleteIfExists(part);
            }
        } catch (IOException e) {
            // gone meanwhile, or not ours to delete: either way nothing to do
        }
    }

    /** The entry in {@code file}; empty when it is gone (drained meanwhile) or unreadable (then set aside). */
    private Optional<MirrorEntry> read(Path file) {
        try {
            MirrorEntry entry = ConfigJson.MAPPER.readValue(file.toFile(), MirrorEntry.class);
            if (MirrorEntry.isComplete(entry)) {
                return Optional.of(entry);
            }
            setAside(file, "it names no blob or no mirrors");
        } catch (FileNotFoundException | NoSuchFileException e) {
            // drained and deleted since the folder was listed
        } catch (IOException e) {
            setAside(file, e.getMessage());
        }
        return Optional.empty();
    }

    /** Kept, not deleted: a person may still make out which blob it meant. */
    private void setAside(Path file, String why) {
        String name = file.getFileName().toString();
        LOG.warn("mirror spool {}: entry {} is unreadable, set aside as {}.unreadable: {}", dir, name, name, why);
        try {
            Files.move(file, file.resolveSibling(name + ".unreadable"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.warn("mirror spool {}: cannot set {} aside: {}", dir, name, e.getMessage());
        }
    }

    @Override
    public long rescanMillis() {
        return RESCAN.toMillis();
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
