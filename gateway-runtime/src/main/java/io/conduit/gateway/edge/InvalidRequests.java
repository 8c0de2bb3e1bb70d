package io.conduit.gateway.edge;

import io.conduit.gateway.errors.ErrorCode;
import io.conduit.gateway.errors.GatewayException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * Requests the HTTP codec could not parse (too long a request line or headers, a garbled request)
 * get the same JSON error shape and request id as every other error, then the connection closes.
 */
public final class InvalidRequests implements Handler<HttpServerRequest> {
    @Override
    public void handle(HttpServerRequest request) {
        RequestIds.assign(request);
        Throwable cause = request.decoderResult() == null ? null : request.decoderResult().cause();
        String kind = cause == null ? "" : cause.getClass().getSimpleName();
        GatewayException error = switch (kind) {
            case "TooLongHttpLineException" -> new GatewayException(ErrorCode.URI_TOO_LONG, "request line too long");
            case "TooLongHttpHeaderException" -> new GatewayException(ErrorCode.HEADERS_TOO_LARGE, "request headers too large");
            default -> new GatewayException(ErrorCode.BAD_REQUEST, "malformed HTTP request");
        };
        request.response().putHeader(HttpHeaders.CONNECTION, "close");
        request.response().endHandler(v -> request.connection().close());
        Responses.json(request, error.code().status(), Responses.errorBody(request, error));
    }
}
