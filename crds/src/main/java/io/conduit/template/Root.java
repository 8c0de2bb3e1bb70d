package io.conduit.template;

import java.util.Arrays;
import java.util.Optional;

/** What a {@code $reference} may start with. */
public enum Root {
    BODY("body", true),
    HEADERS("headers", true),
    QUERY("query", true),
    PATH("path", true),
    REQUEST("request", true),
    TENANT("tenant", false),
    BLOB_REF("blobRef", true),
    BLOB_REFS("blobRefs", true),
    QUEUE_REF("queueRef", true);

    private final String token;
    private final boolean hasFields;

    Root(String token, boolean hasFields) {
        this.token = token;
        this.hasFields = hasFields;
    }

    public String token() {
        return token;
    }

    public boolean hasFields() {
        return hasFields;
    }

    public static Optional<Root> of(String token) {
        return Arrays.stream(values()).filter(r -> r.token.equals(token)).findFirst();
    }
}
