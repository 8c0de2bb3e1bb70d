package io.conduit.gateway.queue.spool;

import io.conduit.api.Durations;
import io.conduit.config.ConfigJson;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code java -jar conduit-gateway.jar spool-requeue SPOOL_PATH --older-than DURATION [--queue NAME] [--dry-run]}:
 * gives claims whose consumer died back to the queue. A message claimed (in {@code cur/}) for longer than
 * the duration is renamed back into {@code new/}, where the next consumer claims it. The claim's age is
 * the time since the file last changed place or content (its ctime where the file system has one, else
 * its mtime), so a consumer that works longer keeps its claim by touching the file. Safe while the
 * gateway and consumers run: every step is one atomic rename, and a message is never in two places.
 * Prints one JSON line per message moved back and a summary; exit 0, 1 on an I/O error, 2 on bad usage.
 */
public final class SpoolRequeue {
    static final String USAGE = """
            usage: java -jar conduit-gateway.jar spool-requeue SPOOL_PATH --older-than DURATION [--queue NAME] [--dry-run]
              SPOOL_PATH    the spool QueueBackend's spec.spool.path
              --older-than  claims (files in <queue>/cur/) older than this go back to <queue>/new/, e.g. 15m
              --queue       only this queue (its name, as in the rule; default: every queue of the spool)
              --dry-run     list what would move, move nothing
            """;

    private SpoolRequeue() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        Path spool = null;
        Duration olderThan = null;
        String queue = null;
        boolean dryRun = false;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--older-than" -> olderThan = Durations.parse(value(args, ++i, "--older-than"));
                    case "--queue" -> queue = value(args, ++i, "--queue");
                    case "--dry-run" -> dryRun = true;
                    case "-h", "--help" -> {
                        out.print(USAGE);
                        return 0;
                    }
                    default -> {
                        if (args[i].startsWith("--") || spool != null) {
                            throw new IllegalArgumentException("unknown argument " + args[i]);
                        }
                        spool = Path.of(args[i]);
                    }
                }
            }
            if (spool == null || olderThan == null) {
                throw new IllegalArgumentException("SPOOL_PATH and --older-than are required");
            }
            if (!Files.isDirectory(spool)) {
                throw new IllegalArgumentException(spool + " is not a folder");
            }
        } catch (IllegalArgumentException e) {
            err.println("conduit-gateway spool-requeue: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
        try {
            List<Path> queues = queue != null ? List.of(SpoolQueueSink.queueDir(spool.toAbsolutePath().normalize(), queue)) : queueDirs(spool);
            Instant cutoff = Instant.now().minus(olderThan);
            int moved = 0;
            for (Path dir : queues) {
                moved += requeue(dir, cutoff, dryRun, out);
            }
            out.println(ConfigJson.write(ConfigJson.MAPPER.createObjectNode().put("summary", true)
                    .put(dryRun ? "wouldRequeue" : "requeued", moved)));
            return 0;
        } catch (IOException e) {
            err.println("conduit-gateway spool-requeue: " + e);
            return 1;
        }
    }

    private static List<Path> queueDirs(Path spool) throws IOException {
        try (Stream<Path> dirs = Files.list(spool)) {
            return dirs.filter(d -> Files.isDirectory(d.resolve("cur"))).sorted().toList();
        }
    }

    private static int requeue(Path dir, Instant cutoff, boolean dryRun, PrintStream out) throws IOException {
        Path cur = dir.resolve("cur");
        if (!Files.isDirectory(cur)) {
            return 0;
        }
        List<Path> claimed;
        try (Stream<Path> files = Files.list(cur)) {
            claimed = files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList();
        }
        int moved = 0;
        for (Path file : claimed) {
            Instant since;
            try {
                since = claimedSince(file);
            } catch (NoSuchFileException done) {
                continue;
            }
            if (!since.isBefore(cutoff)) {
                continue;
            }
            Path target = dir.resolve("new").resolve(file.getFileName());
            if (!dryRun) {
                try {
                    if (Files.exists(target)) {
                        throw new FileAlreadyExistsException(target.toString());
                    }
                    Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (NoSuchFileException finished) {
                    // Its consumer finished (or another requeue moved it) meanwhile: nothing to give back.
                    continue;
                }
            }
            moved++;
            out.println(ConfigJson.write(ConfigJson.MAPPER.createObjectNode()
                    .put("queue", dir.getFileName().toString())
                    .put("file", file.getFileName().toString())
                    .put("claimedSince", since.toString())
                    .put(dryRun ? "wouldRequeue" : "requeued", true)));
        }
        return moved;
    }

    /** When the file last changed place or content: a rename into cur/ moves its ctime, not its mtime. */
    static Instant claimedSince(Path file) throws IOException {
        Instant modified = Files.getLastModifiedTime(file).toInstant();
        try {
            Instant changed = ((FileTime) Files.getAttribute(file, "unix:ctime")).toInstant();
            return changed.isAfter(modified) ? changed : modified;
        } catch (UnsupportedOperationException | IllegalArgumentException noCtime) {
            return modified;
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
