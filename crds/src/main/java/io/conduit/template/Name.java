package io.conduit.template;

import java.util.Arrays;
import java.util.Optional;

/** Bare names usable inside {@code {...}} placeholders. */
public enum Name {
    YEAR("yyyy"), MONTH("MM"), DAY("dd"), HOUR("HH"), MINUTE("mm"), SECOND("ss"),
    BLOB_ID("blobId"), REQUEST_ID("requestId"), TENANT("tenant"), UUID("uuid"), FILENAME("filename"), EXT("ext");

    private final String token;

    Name(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }

    public static Optional<Name> of(String token) {
        return Arrays.stream(values()).filter(n -> n.token.equals(token)).findFirst();
    }
}
