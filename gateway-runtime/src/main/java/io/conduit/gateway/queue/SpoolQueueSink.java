package io.conduit.gateway.queue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conduit.config.ConfigJson;
import io.conduit.gateway.edge.ErrorCode;
import io.conduit.gateway.edge.GatewayException;
import io.conduit.gateway.storage.DurableFiles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;

/**
 * A Maildir-style spool: one folder per queue with {@code tmp/}, {@code new/} and {@code cur/}. A
 * message is written to {@code tmp/}, fsynced, then linked into {@code new/} (which fails if the id
 * is taken, making custom job ids idempotent). Consumers claim a message by renaming it into
 * {@code cur/}, and delete it when done. See the module README for the consumer contract.
 */
public final class SpoolQueueSink implements QueueSink {
    public static final String STATE_NEW = "new";
    public static final String STATE_CLAIMED = "claimed";
    public static final String STATE_UNKNOWN = "unknown";

    private final Vertx vertx;
    private final String name;
    private final Path root;

    public SpoolQueueSink(Vertx vertx, String name, Path root) throws IOException {
        this.vertx = vertx;
        this.name = name;
        this.root = root.toAbsolutePath().normalize();
        Files.createDirectories(this.root);
    }

    @Override
    public String name() {
        return name;
    }

    /** The folder of one queue: its name percent-encoded into a single safe segment. */
    public Path queueDir(String queue) {
        if (queue.isEmpty() || queue.length() > 200) {
            throw new GatewayException(ErrorCode.BAD_REQUEST, "queue name must be 1-200 characters");
        }
        String segment = URLEncoder.encode(queue, StandardCharsets.UTF_8).replace("*", "%2A");
        if (segment.equals(".") || segment.equals("..")) {
            throw new GatewayException(ErrorCode.BAD_REQUEST, "queue name '" + queue + "' is not allowed");
        }
        return root.resolve(segment);
    }

    @Override
    public Future<QueueRef> send(QueueMessage message) {
        Path dir = queueDir(message.queue());
        String jobId = message.jobId() == null ? JobIds.generate() : JobIds.requireSafe(message.jobId());
        return vertx.executeBlocking(() -> write(dir, jobId, message), false);
    }

    private QueueRef write(Path dir, String jobId, QueueMessage message) throws IOException {
        Path tmp = dir.resolve("tmp");
        Path fresh = dir.resolve("new");
        Files.createDirectories(tmp);
        Files.createDirectories(fresh);
        Files.createDirectories(dir.resolve("cur"));
        String file = jobId + ".json";
        if (message.jobId() != null) {
            String existing = stateOf(dir, jobId);
            if (!existing.equals(STATE_UNKNOWN)) {
                return existingRef(message, dir, jobId, existing);
            }
        }
        // Millisecond precision: what the file records is what a repeat answers, to the letter.
        Instant now = Instant.ofEpochMilli(System.currentTimeMillis());
        ObjectNode json = JsonNodeFactory.instance.objectNode()
                .put("id", jobId)
                .put("queue", message.queue())
                .put("name", message.jobName())
                .put("timestamp", now.toEpochMilli())
                .put("requestId", message.requestId())
                .put("contentType", message.contentType())
                .put("tenant", message.tenant());
        json.set("message", message.payload());
        json.set("options", ConfigJson.MAPPER.valueToTree(message.options()));
        Path part = tmp.resolve(jobId + "." + UUID.randomUUID() + ".part");
        try {
            DurableFiles.writeNew(part, ConfigJson.write(json).getBytes(StandardCharsets.UTF_8));
            try {
                Files.createLink(fresh.resolve(file), part);
            } catch (FileAlreadyExistsException duplicate) {
                // Another request with the same job id won the race: answer with that one.
                return existingRef(message, dir, jobId, STATE_NEW);
            }
            DurableFiles.syncFolder(fresh);
        } finally {
            Files.deleteIfExists(part);
        }
        return ref(message, jobId, STATE_NEW, now);
    }

    private QueueRef ref(QueueMessage message, String jobId, String state, Instant timestamp) {
        Integer priority = message.options() == null ? null : message.options().priority();
        return new QueueRef("spool", name, jobId, message.queue(), state, timestamp.toString(), priority, null, null, null,
                false);
    }

    /** The reference of a message already queued under this id, as first answered. */
    private QueueRef existingRef(QueueMessage message, Path dir, String jobId, String state) throws IOException {
        Instant timestamp;
        try {
            var stored = ConfigJson.MAPPER.readTree(location(dir, jobId).toFile());
            timestamp = Instant.ofEpochMilli(stored.path("timestamp").asLong());
        } catch (IOException claimedMeanwhile) {
            timestamp = Instant.now();
        }
        return ref(message, jobId, state, timestamp).asDuplicate();
    }

    @Override
    public Future<JobStatus> status(String queue, String jobId) {
        Path dir = queueDir(queue);
        return vertx.executeBlocking(() -> JobStatus.of(name, queue, jobId, stateOf(dir, JobIds.requireSafe(jobId))), false);
    }

    private static String stateOf(Path dir, String jobId) {
        String file = jobId + ".json";
        if (Files.exists(dir.resolve("new").resolve(file))) {
            return STATE_NEW;
        }
        if (Files.exists(dir.resolve("cur").resolve(file))) {
            return STATE_CLAIMED;
        }
        return STATE_UNKNOWN;
    }

    private static Path location(Path dir, String jobId) {
        Path fresh = dir.resolve("new").resolve(jobId + ".json");
        return Files.exists(fresh) ? fresh : dir.resolve("cur").resolve(jobId + ".json");
    }

    @Override
    public void close() {
        // Nothing held open between requests.
    }
}
