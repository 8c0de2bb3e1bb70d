package io.conduit.render;

/**
 * Something wrong with one resource. {@code reason} is a CamelCase word fit for a condition
 * ({@code Invalid}, {@code Conflicted}, {@code BackendNotFound}, ...); {@code message} is for people
 * and never holds secret values.
 */
public record Problem(ResourceId resource, String reason, String message) {
    public static final String INVALID = "Invalid";
    public static final String CONFLICTED = "Conflicted";
    public static final String BACKEND_NOT_FOUND = "BackendNotFound";
    public static final String BACKEND_NOT_READY = "BackendNotReady";
    public static final String GATEWAY_NOT_FOUND = "GatewayNotFound";
    public static final String SECRET_NOT_FOUND = "SecretNotFound";

    @Override
    public String toString() {
        return resource + ": " + reason + ": " + message;
    }
}
