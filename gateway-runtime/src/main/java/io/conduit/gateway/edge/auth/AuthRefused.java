package io.conduit.gateway.edge.auth;

import io.conduit.gateway.errors.ErrorCode;
import io.conduit.gateway.errors.GatewayException;

/**
 * A request refused by auth, with the reason the {@code conduit_auth_failures_total} metric counts it
 * under: {@code missing} (no token), {@code invalid} (a token that is not ours), {@code forbidden}
 * (a tenant outside its rules). The status alone cannot tell the first two apart.
 */
public final class AuthRefused extends GatewayException {
    private final String reason;

    private AuthRefused(ErrorCode code, String reason, String message) {
        super(code, message);
        this.reason = reason;
    }

    static AuthRefused missing(String message) {
        return new AuthRefused(ErrorCode.UNAUTHORIZED, "missing", message);
    }

    static AuthRefused invalid(String message) {
        return new AuthRefused(ErrorCode.UNAUTHORIZED, "invalid", message);
    }

    static AuthRefused forbidden(String message) {
        return new AuthRefused(ErrorCode.FORBIDDEN, "forbidden", message);
    }

    public String reason() {
        return reason;
    }
}
