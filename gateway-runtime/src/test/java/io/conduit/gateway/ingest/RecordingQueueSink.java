package io.conduit.gateway.ingest;

import io.conduit.gateway.errors.GatewayException;
import io.conduit.gateway.queue.JobStatus;
import io.conduit.gateway.queue.QueueMessage;
import io.conduit.gateway.queue.QueueRef;
import io.conduit.gateway.queue.QueueSink;
import io.vertx.core.Future;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in queue store for unit tests of a rule's steps (the stores themselves are tested against real
 * servers): it keeps every message it takes, and refuses, as unavailable, every send to a queue in
 * {@code refusing} and the first {@code failFirst} sends of all.
 */
final class RecordingQueueSink implements QueueSink {
    final List<QueueMessage> taken = new CopyOnWriteArrayList<>();
    final List<QueueMessage> attempts = new CopyOnWriteArrayList<>();
    private final Set<String> refusing;
    private int failFirst;

    RecordingQueueSink(Set<String> refusing, int failFirst) {
        this.refusing = refusing;
        this.failFirst = failFirst;
    }

    RecordingQueueSink() {
        this(Set.of(), 0);
    }

    @Override
    public String name() {
        return "jobs";
    }

    @Override
    public synchronized Future<QueueRef> send(QueueMessage message) {
        attempts.add(message);
        if (failFirst > 0 || refusing.contains(message.queue())) {
            failFirst--;
            return Future.failedFuture(GatewayException.unavailable("queue " + message.queue() + " is down", null));
        }
        taken.add(message);
        return Future.succeededFuture(new QueueRef("redis", name(), "job-" + taken.size(), message.queue(), "waiting",
                "2026-01-01T00:00:00Z", null, null, null, null, false));
    }

    @Override
    public Future<JobStatus> status(String queue, String jobId) {
        return Future.failedFuture(new UnsupportedOperationException());
    }

    @Override
    public void close() {
    }
}
