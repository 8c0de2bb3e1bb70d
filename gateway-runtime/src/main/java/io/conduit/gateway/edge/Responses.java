package io.conduit.gateway.edge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conduit.config.ConfigJson;
import io.conduit.gateway.errors.ErrorCode;
import io.conduit.gateway.errors.GatewayException;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import java.io.UncheckedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes JSON answers, including the one error shape: {@code {"error": {"code", "message", "requestId"}}}. */
public final class Responses {
    private static final Logger LOG = LoggerFactory.getLogger(Responses.class);

    private Responses() {
    }

    static final long LINGER_MILLIS = 2_000;

    private static void lingerThenClose(HttpServerRequest request) {
        Context context = Vertx.currentContext();
        Runnable close = () -> request.connection().close();
        // The request was answered and its reader has failed: what still arrives is read and dropped.
        request.handler(discarded -> { });
        request.exceptionHandler(e -> { });
        request.endHandler(v -> close.run());
        request.resume();
        if (context != null) {
            context.owner().setTimer(LINGER_MILLIS, t -> close.run());
        }
    }

    private static boolean hasBody(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        return request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null || (length != null && !length.trim().equals("0"));
    }

    private static final CharSequence APPLICATION_JSON = HttpHeaders.createOptimized("application/json");

    /** Answers with {@code body} (a tree or any value Jackson writes) as JSON. */
    public static void json(HttpServerRequest request, int status, Object body) {
        HttpServerResponse response = request.response();
        if (response.ended() || response.closed()) {
            return;
        }
        byte[] bytes;
        try {
            bytes = ConfigJson.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        response.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON)
                .end(Buffer.buffer(bytes));
    }

    public static void error(HttpServerRequest request, ErrorCode code, String message) {
        error(request, new GatewayException(code, message));
    }

    public static void error(HttpServerRequest request, Throwable failure) {
        GatewayException e = failure instanceof GatewayException g ? g
                : new GatewayException(ErrorCode.INTERNAL, "internal error", null, failure);
        if (e.code() == ErrorCode.INTERNAL) {
            LOG.error("request {} failed", RequestIds.of(request), failure);
        }
        HttpServerResponse response = request.response();
        if (response.ended() || response.closed()) {
            return;
        }
        if (response.headWritten()) {
            // Too late for a status: cut the answer so the client cannot take a partial one as whole
            // (on HTTP/2 only this stream, not the other requests sharing the connection).
            if (request.version() == HttpVersion.HTTP_2) {
                response.reset();
            } else {
                request.connection().close();
            }
            return;
        }
        if (e.retryAfterSeconds() != null) {
            response.putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(e.retryAfterSeconds()));
        }
        if (!request.isEnded()) {
            if (hasBody(request) && request.version() != HttpVersion.HTTP_2) {
                // The rest of the body will not be used: ask the client to go away, and drain for a moment
                // before closing, since closing on unread bytes resets the connection and can destroy the
                // answer before the client reads it.
                response.putHeader(HttpHeaders.CONNECTION, "close");
                response.endHandler(v -> lingerThenClose(request));
            } else {
                request.resume();
            }
        }
        json(request, e.code().status(), errorBody(request, e));
    }

    /** The one error shape: {@code {"error": {"code", "message", "requestId"}}}. */
    static ObjectNode errorBody(HttpServerRequest request, GatewayException e) {
        ObjectNode error = JsonNodeFactory.instance.objectNode();
        error.putObject("error")
                .put("code", e.code().code())
                .put("message", e.getMessage())
                .put("requestId", RequestIds.of(request));
        return error;
    }
}
