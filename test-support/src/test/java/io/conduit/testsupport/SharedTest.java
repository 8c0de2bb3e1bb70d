package io.conduit.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

class SharedTest {

    @Test
    void looksOnceAndHandsOutTheSameServer() {
        AtomicInteger lookups = new AtomicInteger();
        FakeServer server = new FakeServer(Origin.LOCAL_BINARY);
        Shared<FakeServer> shared = new Shared<>(() -> {
            lookups.incrementAndGet();
            return new Resolution.Ready<>(server);
        });

        assertThat(shared.get()).isSameAs(server);
        assertThat(shared.get()).isSameAs(server);
        assertThat(lookups).hasValue(1);
    }

    @Test
    void restartsAServerAFaultTestLeftStopped() {
        FakeServer server = new FakeServer(Origin.LOCAL_BINARY);
        Shared<FakeServer> shared = new Shared<>(() -> new Resolution.Ready<>(server));
        shared.get().stop();

        assertThat(shared.get().running()).isTrue();
        assertThat(server.starts).isEqualTo(1);
    }

    @Test
    void remembersASkipToo() {
        AtomicInteger lookups = new AtomicInteger();
        Shared<FakeServer> shared = new Shared<>(() -> {
            lookups.incrementAndGet();
            return new Resolution.Skip<>("no redis");
        });

        assertThatThrownBy(shared::get).isInstanceOf(TestAbortedException.class).hasMessage("no redis");
        assertThatThrownBy(shared::get).isInstanceOf(TestAbortedException.class);
        assertThat(lookups).hasValue(1);
    }
}
