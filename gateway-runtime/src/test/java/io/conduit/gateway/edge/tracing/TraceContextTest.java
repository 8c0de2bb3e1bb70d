package io.conduit.gateway.edge.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

class TraceContextTest {
    static final String VALID = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    static MultiMap headers(String... pairs) {
        MultiMap m = MultiMap.caseInsensitiveMultiMap();
        for (int i = 0; i < pairs.length; i += 2) {
            m.add(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    @Test
    void aValidContextIsPassedOnUnchangedWithItsState() {
        TraceContext t = TraceContext.from(headers("Traceparent", VALID, "tracestate", "a=1", "tracestate", "b=2"));
        assertThat(t.traceparent()).isEqualTo(VALID);
        assertThat(t.tracestate()).isEqualTo("a=1,b=2");
        assertThat(t.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void invalidContextsAreReplacedAndTheirStateDropped() {
        for (String bad : new String[] {"", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
                "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
                "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
                VALID + "-extra"}) {
            TraceContext t = TraceContext.from(headers("traceparent", bad, "tracestate", "a=1"));
            assertThat(t.traceparent()).as(bad).isNotEqualTo(bad).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
            assertThat(t.tracestate()).isNull();
        }
    }

    @Test
    void aLaterVersionMayCarryMoreFields() {
        String future = "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-whatever";
        assertThat(TraceContext.from(headers("traceparent", future)).traceparent()).isEqualTo(future);
    }

    @Test
    void generatedContextsAreValidAndDistinct() {
        TraceContext a = TraceContext.generate();
        TraceContext b = TraceContext.generate();
        assertThat(TraceContext.valid(a.traceparent())).isTrue();
        assertThat(a.traceId()).isNotEqualTo(b.traceId());
    }
}
