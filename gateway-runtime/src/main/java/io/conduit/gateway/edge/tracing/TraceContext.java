package io.conduit.gateway.edge.tracing;

import io.vertx.core.MultiMap;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The W3C trace context of one request ({@code traceparent}, {@code tracestate}). A valid incoming
 * context is passed on unchanged: the gateway records no spans of its own, so the consumer's span
 * hangs directly under the client's. Without one (or with a malformed one) the gateway starts a
 * new sampled trace, so every queued message can be followed from its consumer back to this request.
 */
public record TraceContext(String traceparent, String tracestate) {
    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";
    // version 00 form; a future version may carry more fields after the flags, which we keep as given.
    private static final Pattern VALID = Pattern.compile("([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?");
    private static final String ZERO_TRACE = "0".repeat(32);
    private static final String ZERO_SPAN = "0".repeat(16);
    /** The spec's cap on tracestate is 32 list members; 512 characters is what it asks vendors to keep at least. */
    static final int MAX_TRACESTATE = 512;

    public static TraceContext from(MultiMap headers) {
        String parent = headers.get(TRACEPARENT);
        if (parent != null && valid(parent.trim())) {
            String state = headers.getAll(TRACESTATE).isEmpty() ? null : String.join(",", headers.getAll(TRACESTATE));
            if (state != null && (state.isBlank() || state.length() > MAX_TRACESTATE)) {
                state = null;
            }
            return new TraceContext(parent.trim(), state);
        }
        // A tracestate without a valid traceparent must be dropped, as the spec says.
        return generate();
    }

    /** Trace ids must be unique, not secret (OpenTelemetry's own generator uses ThreadLocalRandom too). */
    public static TraceContext generate() {
        byte[] trace = new byte[16];
        byte[] span = new byte[8];
        ThreadLocalRandom.current().nextBytes(trace);
        ThreadLocalRandom.current().nextBytes(span);
        span[0] |= 1; // never all zero
        trace[0] |= 1;
        return new TraceContext("00-" + HexFormat.of().formatHex(trace) + "-" + HexFormat.of().formatHex(span) + "-01", null);
    }

    static boolean valid(String traceparent) {
        var m = VALID.matcher(traceparent);
        if (!m.matches()) {
            return false;
        }
        String version = m.group(1);
        if (version.equals("ff") || (version.equals("00") && m.group(5) != null)) {
            return false;
        }
        return !m.group(2).equals(ZERO_TRACE) && !m.group(3).equals(ZERO_SPAN);
    }

    /** The 32-hex trace id, as logs show it. */
    public String traceId() {
        return traceparent.substring(3, 35);
    }
}
