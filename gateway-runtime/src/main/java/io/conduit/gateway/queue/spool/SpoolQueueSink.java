package io.conduit.gateway.queue.spool;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.conduit.config.ConfigJson;
import io.conduit.gateway.errors.ErrorCode;
import io.conduit.gateway.errors.GatewayException;
import io.conduit.gateway.queue.IdempotencyRecord;
import io.conduit.gateway.queue.JobIds;
import io.conduit.gateway.queue.JobStatus;
import io.conduit.gateway.queue.QueueMessage;
import io.conduit.gateway.queue.QueueRef;
import io.conduit.gateway.queue.QueueSink;
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
 * is taken). Custom job ids are reserved in {@code ids/} for the idempotency TTL, so a repeat
 * writes nothing even after a consumer claimed or finished the first. Consumers claim a message by
 * renaming it into {@code cur/}, and delete it when done. See the module README for the consumer contract.
 */
public final class SpoolQueueSink implements QueueSink {
    public static final String STATE_NEW = "new";
    public static final String STATE_CLAIMED = "claimed";
    public static final String STATE_UNKNOWN = "unknown";

    private final Vertx vertx;
    private final String name;
    private final Path root;

    private final long idempotencyTtlMillis;

    public SpoolQueueSink(Vertx vertx, String name, Path root, long idempotencyTtlMillis) throws IOException {
        this.vertx = vertx;
        this.name = name;
        this.idempotencyTtlMillis = idempotencyTtlMillis;
        this.root = root.toAbsolutePath().normalize();
        Files.createDirectories(this.root);
    }

    @Override
    public String name() {
        return name;
    }

    /** The folder of one queue: its name percent-encoded into a single safe segment. */
    public Path queueDir(String queue) {
        return queueDir(root, queue);
    }

    static Path queueDir(Path root, String queue) {
        String segment = URLEncoder.encode(queue, StandardCharsets.UTF_8).replace("*", "%2A");
        // File names hold 255 bytes; leave room and say so rather than fail as a backend error.
        if (queue.isEmpty() || segment.length() > 200) {
            throw new GatewayException(ErrorCode.BAD_REQUEST, "queue name must be 1 to 200 bytes once percent-encoded");
        }
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
        Path marker = null;
        if (message.jobId() != null) {
            // The id is reserved where consumers never look, so claiming (new/ -> cur/) cannot reopen it.
            Path ids = Files.createDirectories(dir.resolve("ids"));
            marker = ids.resolve(jobId);
            if (!reserve(marker)) {
                return existingRef(message, dir, marker, jobId);
            }
        }
        // Millisecond precision: what the file records is what a repeat answers, to the letter.
        Instant now = Instant.ofEpochMilli(System.currentTimeMillis());
        ObjectNode json = JsonNodeFactory.instance.objectNode()
                .put("id", jobId)
                .put("queue", message.queue())
                .put("name", message.jobName())
                .put("timestamp", now.toEpochMilli())
                .put("requestId", message.origin().requestId())
                .put("contentType", message.origin().contentType())
                .put("tenant", message.origin().tenant())
                .put("traceparent", message.origin().traceparent());
        if (message.origin().tracestate() != null) {
            json.put("tracestate", message.origin().tracestate());
        }
        json.putRawValue("message", new RawValue(message.payload().json()));
        json.set("options", ConfigJson.MAPPER.valueToTree(message.options()));
        Path part = tmp.resolve(jobId + "." + UUID.randomUUID() + ".part");
        boolean published = false;
        try {
            DurableFiles.writeNew(part, ConfigJson.write(json).getBytes(StandardCharsets.UTF_8));
            Files.createLink(fresh.resolve(jobId + ".json"), part);
            DurableFiles.syncFolder(fresh);
            published = true;
        } finally {
            Files.deleteIfExists(part);
            if (marker != null) {
                if (published) {
                    // The time answers a repeat's queueRef; the body's fingerprint tells a repeat from a conflict.
                    Files.writeString(marker, now.toEpochMilli() + "\n" + message.idempotency().fingerprint());
                } else {
                    Files.deleteIfExists(marker);
                }
            }
        }
        return ref(message, jobId, STATE_NEW, now);
    }

    /** Takes the id, or answers false when a live reservation holds it; reservations expire with the idempotency TTL. */
    private boolean reserve(Path marker) throws IOException {
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                Files.createFile(marker);
                return true;
            } catch (FileAlreadyExistsException taken) {
                long age = System.currentTimeMillis() - Files.getLastModifiedTime(marker).toMillis();
                if (age <= idempotencyTtlMillis) {
                    return false;
                }
                Files.deleteIfExists(marker);
            }
        }
        return false;
    }

    /** The reference first answered for this id; waits briefly when a concurrent request is still writing it. */
    private QueueRef existingRef(QueueMessage message, Path dir, Path marker, String jobId) throws IOException {
        String written = "";
        for (int i = 0; i < 100 && written.isEmpty() && Files.exists(marker); i++) {
            written = Files.readString(marker).trim();
            if (written.isEmpty()) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        if (written.isEmpty()) {
            throw new IOException("job id " + jobId + " is being written by another request");
        }
        String[] lines = written.split("\n", 2);
        String fingerprint = lines.length > 1 ? lines[1].trim() : "";
        // A marker written without a fingerprint (an older gateway) cannot tell; it answers as a repeat.
        if (!fingerprint.isEmpty() && !fingerprint.equals(message.idempotency().fingerprint())) {
            throw IdempotencyRecord.conflict(message.idempotency());
        }
        return ref(message, jobId, stateOf(dir, jobId), Instant.ofEpochMilli(Long.parseLong(lines[0].trim()))).asDuplicate();
    }

    private QueueRef ref(QueueMessage message, String jobId, String state, Instant timestamp) {
        Integer priority = message.options() == null ? null : message.options().priority();
        return new QueueRef("spool", name, jobId, message.queue(), state, timestamp.toString(), priority, null, null, null,
                false);
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

    @Override
    public void close() {
        // Nothing held open between requests.
    }
}
