package io.conduit.gateway.errors;

/** The error codes clients see, each with its one HTTP status. */
public enum ErrorCode {
    BAD_REQUEST(400, "bad_request"),
    UNAUTHORIZED(401, "unauthorized"),
    FORBIDDEN(403, "forbidden"),
    NOT_FOUND(404, "not_found"),
    METHOD_NOT_ALLOWED(405, "method_not_allowed"),
    REQUEST_TIMEOUT(408, "request_timeout"),
    CONFLICT(409, "conflict"),
    PAYLOAD_TOO_LARGE(413, "payload_too_large"),
    URI_TOO_LONG(414, "uri_too_long"),
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported_media_type"),
    TOO_MANY_REQUESTS(429, "too_many_requests"),
    HEADERS_TOO_LARGE(431, "request_header_fields_too_large"),
    INTERNAL(500, "internal_error"),
    /** A backend refused the call for good (an S3 4xx such as a signature or permission error): retrying will not help. */
    BACKEND_REFUSED(502, "backend_refused"),
    BACKEND_UNAVAILABLE(503, "backend_unavailable"),
    NOT_READY(503, "not_ready");

    private final int status;
    private final String code;

    ErrorCode(int status, String code) {
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
