package io.conduit.gateway.ingest;

import io.conduit.gateway.errors.ErrorCode;
import io.conduit.gateway.errors.GatewayException;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.StreamResetException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;

/**
 * Sorts failures into the client's doing (a closed connection, a malformed or oversized form: 4xx,
 * logged quietly) and the backend's (503 with Retry-After), so neither is mistaken for the other.
 */
final class Failures {
    private Failures() {
    }

    /** A failure while a sink took the body: the client's fault if it was, else the backend's. */
    static Throwable fromSink(Throwable failure) {
        if (failure instanceof GatewayException) {
            return failure;
        }
        GatewayException client = clientFault(failure);
        return client != null ? client : GatewayException.unavailable("blob backend failed to store the body", failure);
    }

    /** The answer for a failed request: client faults mapped, anything else left as it is. */
    static Throwable fromClient(Throwable failure) {
        if (failure instanceof GatewayException) {
            return failure;
        }
        GatewayException client = clientFault(failure);
        return client != null ? client : failure;
    }

    private static GatewayException clientFault(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String name = t.getClass().getSimpleName();
            if (t instanceof HttpClosedException || t instanceof StreamResetException || t instanceof ClosedChannelException
                    || (t instanceof IOException && String.valueOf(t.getMessage()).contains("Connection reset"))) {
                return new GatewayException(ErrorCode.BAD_REQUEST, "client closed the connection", null, t);
            }
            // Netty's form decoder, met through Vert.x's multipart and urlencoded parsing.
            switch (name) {
                case "TooLongFormFieldException" -> {
                    return new GatewayException(ErrorCode.PAYLOAD_TOO_LARGE, "a form field is too long", null, t);
                }
                case "TooManyFormFieldsException" -> {
                    return new GatewayException(ErrorCode.PAYLOAD_TOO_LARGE, "too many form fields", null, t);
                }
                case "ErrorDataDecoderException", "NotEnoughDataDecoderException", "DecoderException" -> {
                    return new GatewayException(ErrorCode.BAD_REQUEST, "malformed request body", null, t);
                }
                default -> {
                    // Look further down the cause chain.
                }
            }
        }
        return null;
    }
}
