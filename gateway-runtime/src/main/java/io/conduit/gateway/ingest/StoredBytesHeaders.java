package io.conduit.gateway.ingest;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.util.Locale;
import java.util.Set;

/**
 * The headers under which stored bytes are served, so that a browser never runs them in the gateway's
 * origin: no sniffing, a sandbox if a browser renders the answer anyway, and every type that is not
 * known to be passive (HTML, SVG, XML, scripts, anything unknown) as an attachment, a download.
 */
final class StoredBytesHeaders {
    /** Types a browser shows without running anything in the page's origin. */
    private static final Set<String> INLINE = Set.of(
            "image/png", "image/jpeg", "image/gif", "image/webp", "image/avif", "image/bmp",
            "text/plain", "text/csv", "application/json", "application/octet-stream", "application/pdf");

    private StoredBytesHeaders() {
    }

    static void apply(HttpServerResponse response, String mime, String filename) {
        response.putHeader("X-Content-Type-Options", "nosniff");
        response.putHeader("Content-Security-Policy", "default-src 'none'; sandbox");
        if (!inline(mime)) {
            String name = filename == null ? null : safeFilename(filename);
            response.putHeader(HttpHeaders.CONTENT_DISPOSITION, name == null ? "attachment" : "attachment; filename=\"" + name + "\"");
        }
    }

    static boolean inline(String mime) {
        if (mime == null) {
            return false;
        }
        int semi = mime.indexOf(';');
        String base = (semi < 0 ? mime : mime.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
        return INLINE.contains(base) || base.startsWith("audio/") || base.startsWith("video/");
    }

    /** The client's filename reduced to characters that cannot break the header; null when nothing is left. */
    private static String safeFilename(String filename) {
        StringBuilder out = new StringBuilder();
        for (char c : filename.toCharArray()) {
            out.append(c < 0x7f && (Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_') ? c : '_');
        }
        return out.isEmpty() ? null : out.toString();
    }
}
