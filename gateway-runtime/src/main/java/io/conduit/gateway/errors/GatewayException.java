package io.conduit.gateway.errors;

/**
 * A request that ends in an error status. The message goes to the client, so it must be written for
 * them and hold nothing internal (no stack traces, paths or secrets).
 */
public class GatewayException extends RuntimeException {
    private final ErrorCode code;
    private final Integer retryAfterSeconds;

    public GatewayException(ErrorCode code, String message) {
        this(code, message, null, null);
    }

    public GatewayException(ErrorCode code, String message, Integer retryAfterSeconds, Throwable cause) {
        super(message, cause, false, false);
        this.code = code;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public ErrorCode code() {
        return code;
    }

    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public static GatewayException unavailable(String message, Throwable cause) {
        return new GatewayException(ErrorCode.BACKEND_UNAVAILABLE, message, 1, cause);
    }
}
