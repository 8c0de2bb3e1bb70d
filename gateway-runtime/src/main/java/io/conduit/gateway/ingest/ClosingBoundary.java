package io.conduit.gateway.ingest;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a multipart body's raw bytes ended with its close delimiter ({@code --boundary--}). The decoder
 * never says so: a part cut off by the end of the body simply never ends. Only the last few KiB are kept
 * (the delimiter and the CRLF or short epilogue after it), so a large upload costs a small copy per chunk.
 * Event-loop confined.
 */
final class ClosingBoundary {
    private static final Pattern BOUNDARY = Pattern.compile("(?i);\\s*boundary=(\"([^\"]+)\"|([^;\\s]+))");
    /** Room after the delimiter for a CRLF and an epilogue; clients send none, RFC 2046 lets them. */
    private static final int EPILOGUE = 4096;

    private final byte[] delimiter;
    private final byte[] tail;
    private int filled;

    private ClosingBoundary(byte[] delimiter) {
        this.delimiter = delimiter;
        this.tail = new byte[delimiter.length + EPILOGUE];
    }

    /** The tracker for a multipart Content-Type, or null when it names no boundary (the decoder refuses it then). */
    static ClosingBoundary of(String contentType) {
        Matcher m = contentType == null ? null : BOUNDARY.matcher(contentType);
        if (m == null || !m.find()) {
            return null;
        }
        String boundary = m.group(2) != null ? m.group(2) : m.group(3);
        return new ClosingBoundary(("--" + boundary + "--").getBytes(StandardCharsets.ISO_8859_1));
    }

    void feed(Buffer chunk) {
        int n = chunk.length();
        if (n >= tail.length) {
            chunk.getBytes(n - tail.length, n, tail, 0);
            filled = tail.length;
            return;
        }
        int keep = Math.min(filled, tail.length - n);
        System.arraycopy(tail, filled - keep, tail, 0, keep);
        chunk.getBytes(0, n, tail, keep);
        filled = keep + n;
    }

    /** Whether the close delimiter is among the last bytes seen. */
    boolean seen() {
        for (int i = 0; i + delimiter.length <= filled; i++) {
            if (Arrays.equals(tail, i, i + delimiter.length, delimiter, 0, delimiter.length)) {
                return true;
            }
        }
        return false;
    }
}
