package io.conduit.gateway.blob.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.nio.ByteBuffer;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PartMemoryTest {
    final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close();
    }

    @Test
    void acquisitionsBeyondTheBudgetWaitAndAreGrantedInOrderAsBuffersComeBack() throws Exception {
        PartMemory memory = new PartMemory(20);
        ByteBuffer first = memory.tryAcquire(10);
        ByteBuffer second = memory.tryAcquire(10);
        assertThat(first).isNotNull();
        assertThat(second).isNotNull().isNotSameAs(first);
        assertThat(memory.tryAcquire(10)).isNull();

        var granted = new CopyOnWriteArrayList<String>();
        var buffers = new CopyOnWriteArrayList<ByteBuffer>();
        CountDownLatch two = new CountDownLatch(2);
        var context = vertx.getOrCreateContext();
        memory.acquireLater(10, context, b -> { granted.add("a"); buffers.add(b); two.countDown(); }, PartMemoryTest::unexpected);
        memory.acquireLater(10, context, b -> { granted.add("b"); buffers.add(b); two.countDown(); }, PartMemoryTest::unexpected);
        assertThat(memory.tryAcquire(1)).as("no jumping the queue").isNull();

        first.put((byte) 7);
        memory.release(first);
        memory.release(second);

        assertThat(two.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(granted).containsExactly("a", "b");
        assertThat(buffers).as("the same buffers, reused").containsExactlyInAnyOrder(first, second);
        assertThat(buffers).allSatisfy(b -> {
            assertThat(b.position()).as("handed out empty").isZero();
            assertThat(b.remaining()).isEqualTo(10);
            assertThat(b.isDirect()).isTrue();
        });
        assertThat(memory.reserved()).isEqualTo(20);
    }

    @Test
    void aCancelledWaitGetsNothingAndAPartLargerThanTheBudgetPassesAlone() throws Exception {
        PartMemory memory = new PartMemory(10);
        ByteBuffer held = memory.tryAcquire(10);
        var waiter = memory.acquireLater(10, vertx.getOrCreateContext(), b -> { throw new AssertionError("cancelled"); },
                PartMemoryTest::unexpected);
        waiter.cancel();
        memory.release(held);
        assertThat(memory.hasWaiters()).isFalse();
        assertThat(memory.reserved()).isZero();
        assertThat(memory.tryAcquire(50)).isNotNull().extracting(ByteBuffer::capacity).isEqualTo(50);
        assertThat(memory.tryAcquire(1)).isNull();
    }

    /** A buffer whose call failed may still be read by that call: its budget comes back, the buffer never does. */
    @Test
    void aDiscardedBufferFreesItsBudgetButIsNeverHandedOutAgain() {
        PartMemory memory = new PartMemory(10);
        ByteBuffer failed = memory.tryAcquire(10);
        assertThat(memory.tryAcquire(10)).isNull();
        memory.discard(failed);
        assertThat(memory.reserved()).isZero();
        ByteBuffer next = memory.tryAcquire(10);
        assertThat(next).isNotNull().isNotSameAs(failed);
    }

    private static void unexpected(Throwable e) {
        throw new AssertionError("allocation failed", e);
    }
}
