package io.conduit.gateway.blob;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
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
    void reservationsBeyondTheBudgetWaitAndAreGrantedInOrderAsMemoryComesBack() throws Exception {
        PartMemory memory = new PartMemory(20);
        assertThat(memory.tryReserve(10)).isTrue();
        assertThat(memory.tryReserve(10)).isTrue();
        assertThat(memory.tryReserve(10)).isFalse();

        var granted = new CopyOnWriteArrayList<String>();
        CountDownLatch two = new CountDownLatch(2);
        var context = vertx.getOrCreateContext();
        memory.reserveLater(10, context, () -> { granted.add("a"); two.countDown(); });
        memory.reserveLater(10, context, () -> { granted.add("b"); two.countDown(); });
        assertThat(memory.tryReserve(1)).as("no jumping the queue").isFalse();

        memory.release(10);
        memory.release(10);

        assertThat(two.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(granted).containsExactly("a", "b");
        assertThat(memory.reserved()).isEqualTo(20);
    }

    @Test
    void aCancelledWaitGetsNothingAndAPartLargerThanTheBudgetPassesAlone() throws Exception {
        PartMemory memory = new PartMemory(10);
        assertThat(memory.tryReserve(10)).isTrue();
        var waiter = memory.reserveLater(10, vertx.getOrCreateContext(), () -> { throw new AssertionError("cancelled"); });
        waiter.cancel();
        memory.release(10);
        assertThat(memory.hasWaiters()).isFalse();
        assertThat(memory.reserved()).isZero();
        assertThat(memory.tryReserve(50)).isTrue();
        assertThat(memory.tryReserve(1)).isFalse();
    }
}
