package io.conduit.gateway.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.conduit.gateway.errors.GatewayException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class InProcessIdempotencyTest {
    final AtomicLong now = new AtomicLong(1_000);
    final AtomicInteger writes = new AtomicInteger();
    final InProcessIdempotency records = new InProcessIdempotency(10_000, 3, now::get);

    Future<QueueRef> write(String id) {
        writes.incrementAndGet();
        return Future.succeededFuture(new QueueRef("kafka", "events", id, "orders", "waiting", "t", null, 0, (long) writes.get(),
                "0-" + writes.get(), false));
    }

    @Test
    void aRepeatWithinTheTtlWritesNothingAndGetsTheFirstReferenceAsADuplicate() {
        QueueRef first = records.once("orders", IdempotencyKey.client("k1", "fp"), () -> write("k1")).result();
        QueueRef again = records.once("orders", IdempotencyKey.client("k1", "fp"), () -> write("k1")).result();

        assertThat(writes).hasValue(1);
        assertThat(first.duplicate()).isFalse();
        assertThat(again.duplicate()).isTrue();
        assertThat(again.offset()).isEqualTo(first.offset());
        assertThat(records.find("orders", "k1").result()).isEqualTo(first);
        assertThat(records.find("other-topic", "k1").result()).as("keys are per topic").isNull();
    }

    @Test
    void anotherBodyUnderTheSameKeyIsAConflict() {
        records.once("orders", IdempotencyKey.client("k1", "fp-a"), () -> write("k1"));
        Future<QueueRef> other = records.once("orders", IdempotencyKey.client("k1", "fp-b"), () -> write("k1"));

        assertThat(other.failed()).isTrue();
        assertThat(((GatewayException) other.cause()).code().status()).isEqualTo(409);
        assertThat(writes).hasValue(1);
    }

    @Test
    void aConcurrentDuplicateWaitsForTheFirstWriteInsteadOfWritingAgain() {
        Promise<QueueRef> slow = Promise.promise();
        Future<QueueRef> first = records.once("orders", IdempotencyKey.client("k1", "fp"), () -> {
            writes.incrementAndGet();
            return slow.future();
        });
        Future<QueueRef> second = records.once("orders", IdempotencyKey.client("k1", "fp"), () -> write("k1"));
        assertThat(second.isComplete()).isFalse();

        slow.complete(new QueueRef("kafka", "events", "k1", "orders", "waiting", "t", null, 1, 7L, "1-7", false));
        assertThat(first.result().offset()).isEqualTo(7L);
        assertThat(second.result().offset()).isEqualTo(7L);
        assertThat(second.result().duplicate()).isTrue();
        assertThat(writes).hasValue(1);
    }

    @Test
    void aFailedWriteIsForgottenSoTheRetryWrites() {
        Future<QueueRef> failed = records.once("orders", IdempotencyKey.client("k1", "fp"),
                () -> Future.failedFuture(new IllegalStateException("broker down")));
        assertThat(failed.failed()).isTrue();

        QueueRef retried = records.once("orders", IdempotencyKey.client("k1", "fp"), () -> write("k1")).result();
        assertThat(retried.duplicate()).isFalse();
        assertThat(writes).hasValue(1);
    }

    @Test
    void keysExpireAfterTheTtlAndTheOldestGoFirstBeyondCapacity() {
        records.once("orders", IdempotencyKey.client("k1", "fp"), () -> write("k1"));
        now.addAndGet(10_001);
        records.once("orders", IdempotencyKey.client("k1", "fp"), () -> write("k1"));
        assertThat(writes).as("expired, so written again").hasValue(2);

        records.once("orders", IdempotencyKey.client("k2", "fp"), () -> write("k2"));
        records.once("orders", IdempotencyKey.client("k3", "fp"), () -> write("k3"));
        records.once("orders", IdempotencyKey.client("k4", "fp"), () -> write("k4"));
        assertThat(records.size()).isLessThanOrEqualTo(3);
        assertThat(records.find("orders", "k1").result()).as("the oldest was forgotten for the newest").isNull();
        assertThat(records.find("orders", "k4").result()).isNotNull();
    }
}
