package io.conduit.gateway.edge;

import io.vertx.core.http.HttpServerRequest;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Every request gets an id: the client's {@code X-Request-Id} when it is sane, else a new one. It
 * is echoed on the response, logged, and available to templates as {@code $request.id}.
 */
public final class RequestIds {
    public static final String HEADER = "X-Request-Id";
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private RequestIds() {
    }

    /** Assigns the id and sets the response header; call once, first thing. */
    public static String assign(HttpServerRequest request) {
        String given = request.getHeader(HEADER);
        String id = given != null && SANE.matcher(given).matches() ? given : generate();
        request.response().putHeader(HEADER, id);
        return id;
    }

    public static String of(HttpServerRequest request) {
        return request.response().headers().get(HEADER);
    }

    /** Ids must be unique, not secret: a thread-local generator keeps SecureRandom's lock and syscalls off every request. */
    public static String generate() {
        byte[] bytes = new byte[12];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
