package io.conduit.gateway.queue;

import io.vertx.core.Future;

/** A queue store. {@link #send} succeeds only once the store durably holds the message. */
public interface QueueSink extends AutoCloseable {
    String name();

    Future<QueueRef> send(QueueMessage message);

    Future<JobStatus> status(String queue, String jobId);

    @Override
    void close();
}
