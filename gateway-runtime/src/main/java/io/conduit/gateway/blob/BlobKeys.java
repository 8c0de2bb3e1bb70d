package io.conduit.gateway.blob;

import io.conduit.gateway.errors.ErrorCode;
import io.conduit.gateway.errors.GatewayException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * Checks a key rendered from a template before any store sees it. A key is the client's to shape (through
 * {@code $query}, {@code $path}, a filename), so it must not reach the gateway's own records
 * ({@code .conduit/}: index records, the mirror spool, staged uploads; {@code sha256/} where bytes are stored by
 * hash; a local root's {@code .tmp/}), and must not hold segments a store or a proxy may normalise away
 * ({@code .}, {@code ..}, empty ones from {@code //}) or control characters. Refused with a 400 that names the
 * problem, never escaped: a key the client chose is one it will look for again, so it must be stored as written.
 */
public final class BlobKeys {
    /** S3's own limit on a key, in UTF-8 bytes. */
    static final int MAX_BYTES = 1024;
    private static final String RECORDS = ".conduit";
    private static final Set<String> RESERVED_FIRST_SEGMENTS = Set.of("sha256", ".tmp");

    private BlobKeys() {
    }

    /** The key without leading slashes, if it is one a client may use; else a 400 naming why not. */
    public static String requireSafe(String rendered) {
        String key = rendered.replaceAll("^/+", "");
        if (key.isEmpty()) {
            throw refused(rendered, "it is empty");
        }
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw refused(rendered, "it is longer than " + MAX_BYTES + " bytes");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isISOControl(c)) {
                throw refused(rendered, "it holds a control character (U+%04X)".formatted((int) c));
            }
        }
        String[] segments = key.split("/", -1);
        for (String segment : segments) {
            if (segment.isEmpty()) {
                throw refused(rendered, "it holds an empty segment ('//' or a trailing '/')");
            }
            if (segment.equals(".") || segment.equals("..")) {
                throw refused(rendered, "it holds a '" + segment + "' segment");
            }
            // Anywhere, not only first: another backend on the same bucket may have its prefix where this key goes.
            // Any case: some stores keep keys on case-insensitive file systems.
            if (segment.toLowerCase(Locale.ROOT).equals(RECORDS)) {
                throw refused(rendered, "'" + RECORDS + "/' is reserved for the gateway's own records");
            }
        }
        if (RESERVED_FIRST_SEGMENTS.contains(segments[0].toLowerCase(Locale.ROOT))) {
            throw refused(rendered, "'" + segments[0] + "/' is reserved for the gateway's own records");
        }
        return key;
    }

    private static GatewayException refused(String key, String why) {
        String shown = key.length() > 80 ? key.substring(0, 80) + "..." : key;
        return new GatewayException(ErrorCode.BAD_REQUEST, "blob key '" + escape(shown) + "' is not allowed: " + why);
    }

    /** Control characters shown as escapes, so the message itself stays one clean line. */
    private static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(c -> out.append(Character.isISOControl(c) ? "\\u%04x".formatted(c) : Character.toString(c)));
        return out.toString();
    }
}
