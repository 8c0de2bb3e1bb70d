package io.conduit.gateway.queue.redis;

import io.conduit.gateway.errors.ErrorCode;
import io.conduit.gateway.errors.GatewayException;
import io.conduit.gateway.queue.IdempotencyKey;
import java.util.regex.Pattern;

/**
 * The keys of one queue: BullMQ's layout {@code <prefix>:<queue>:<suffix>} (a job is
 * {@code <prefix>:<queue>:<jobId>}), the stream {@code <prefix>:<queue>} in streams mode, and our
 * idempotency records under {@code <prefix>:<queue>:conduit:}. Job ids never hold ':', so no job (nor
 * one of BullMQ's per-job keys such as {@code :lock}) can collide with a record.
 */
record RedisQueueKeys(String stream, String base) {
    /** BullMQ refuses ':' in queue names; control characters have no business in a key either. */
    private static final Pattern NAME = Pattern.compile("[^:\\p{Cntrl}]{1,200}");
    static final String RECORDS = "conduit:";

    static RedisQueueKeys of(String prefix, String queue) {
        if (queue == null || !NAME.matcher(queue).matches()) {
            throw new GatewayException(ErrorCode.BAD_REQUEST, "queue name '" + queue
                    + "' is not allowed for a Redis backend: use 1-200 characters without ':' or control characters");
        }
        String stream = prefix + ":" + queue;
        return new RedisQueueKeys(stream, stream + ":");
    }

    String key(String suffix) {
        return base + suffix;
    }

    String job(String jobId) {
        return base + jobId;
    }

    /** Where the record of an idempotency key lives: client keys and the gateway's own retry keys apart. */
    String record(IdempotencyKey key) {
        return base + RECORDS + (key.fromClient() ? "idem:" : "once:") + key.value();
    }

    String clientRecord(String key) {
        return base + RECORDS + "idem:" + key;
    }
}
