package io.conduit.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.conduit.api.v1alpha1.BlobBackendSpec;
import java.util.List;

/**
 * A blob store as the gateway sees it. Exactly one of {@code local} / {@code s3} is set, matching
 * {@code type}. Sizes are bytes and times milliseconds, so the JSON needs no special codecs.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BlobBackendConfig(
        String name,
        BlobBackendSpec.Type type,
        Local local,
        S3 s3,
        String keyTemplate,
        boolean contentAddressed,
        long maxSize,
        Long presignTtlMillis,
        boolean presignRedirect,
        List<String> mirrors) {

    public static final String DEFAULT_KEY_TEMPLATE = "{yyyy}/{MM}/{dd}/{blobId}";

    public record Local(String path) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record S3(
            String bucket,
            String region,
            String endpoint,
            boolean forcePathStyle,
            String prefix,
            String credentialsKey,
            long partSize,
            boolean sendChecksum) {
    }
}
