package io.conduit.operator.backend;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** HeadBucket with the backend's credentials: the bucket exists and these keys may use it. */
final class S3Check {
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private S3Check() {
    }

    /**
     * @param endpoint    S3-compatible endpoint, or null for AWS
     * @param credentials {@code accessKeyId}, {@code secretAccessKey} (and optionally {@code sessionToken});
     *                    empty for the default AWS credential chain
     */
    static Probe check(String bucket, String region, String endpoint, boolean pathStyle, Map<String, String> credentials) {
        List<String> secrets = List.copyOf(credentials.values());
        var builder = S3Client.builder()
                .region(Region.of(region == null ? "us-east-1" : region))
                .forcePathStyle(pathStyle)
                .credentialsProvider(provider(credentials))
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(TIMEOUT).socketTimeout(TIMEOUT).build())
                .overrideConfiguration(o -> o.apiCallTimeout(TIMEOUT.multipliedBy(2)).retryStrategy(r -> r.maxAttempts(1)));
        String where = "bucket " + bucket + (endpoint == null ? "" : " at " + endpoint);
        try {
            if (endpoint != null) {
                builder.endpointOverride(URI.create(endpoint));
            }
        } catch (IllegalArgumentException e) {
            return Probe.failed("Invalid", "s3.endpoint: " + Probe.redact(e.getMessage(), secrets));
        }
        try (S3Client s3 = builder.build()) {
            s3.headBucket(HeadBucketRequest.builder().bucket(bucket).build());
            return Probe.ok("HeadBucket on " + where + " succeeded");
        } catch (S3Exception e) {
            String reason = switch (e.statusCode()) {
                case 404 -> "BucketNotFound";
                case 401, 403 -> "AccessDenied";
                default -> "CheckFailed";
            };
            return Probe.failed(reason, "HeadBucket on " + where + " answered " + e.statusCode() + ": "
                    + Probe.redact(Probe.describe(e), secrets));
        } catch (SdkClientException e) {
            return Probe.failed("Unreachable", "HeadBucket on " + where + ": " + Probe.redact(Probe.describe(e), secrets));
        } catch (RuntimeException e) {
            return Probe.failed("CheckFailed", "HeadBucket on " + where + ": " + Probe.redact(Probe.describe(e), secrets));
        }
    }

    private static AwsCredentialsProvider provider(Map<String, String> credentials) {
        if (credentials.isEmpty()) {
            return DefaultCredentialsProvider.builder().build();
        }
        String token = credentials.get("sessionToken");
        return StaticCredentialsProvider.create(token == null
                ? AwsBasicCredentials.create(credentials.get("accessKeyId"), credentials.get("secretAccessKey"))
                : AwsSessionCredentials.create(credentials.get("accessKeyId"), credentials.get("secretAccessKey"), token));
    }
}
