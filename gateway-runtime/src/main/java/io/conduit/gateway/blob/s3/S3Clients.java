package io.conduit.gateway.blob.s3;

import io.conduit.config.BlobBackendConfig;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.auth.scheme.S3AuthSchemeProvider;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The SDK objects one S3 backend talks through: an async client on its own small Netty event loop
 * group (never the gateway's event loop) and a presigner with the same endpoint and credentials.
 */
public record S3Clients(S3AsyncClient client, S3Presigner presigner) implements AutoCloseable {
    /** Every call (with its retries) fits in the request deadline; 4 attempts, exponential backoff with jitter. */
    static final int ATTEMPTS = 4;
    private static final Set<String> BYTE_CARRYING = Set.of("PutObject", "UploadPart");
    private static final int IO_THREADS = 2;
    private static final int MAX_CONNECTIONS = 64;

    static S3Clients create(BlobBackendConfig.S3 s3, Map<String, String> credentials, Duration callTimeout) {
        AwsCredentialsProvider provider = credentials(credentials);
        SdkAsyncHttpClient http = NettyNioAsyncHttpClient.builder()
                .eventLoopGroupBuilder(SdkEventLoopGroup.builder().numberOfThreads(IO_THREADS))
                .maxConcurrency(MAX_CONNECTIONS)
                .connectionTimeout(Duration.ofSeconds(5))
                .build();
        var builder = S3AsyncClient.builder()
                .region(Region.of(s3.region()))
                .credentialsProvider(provider)
                .httpClient(http)
                .forcePathStyle(s3.forcePathStyle())
                .authSchemeProvider(unsignedPayload())
                // Only the checksums we choose (sha256, when sendChecksum): stores that predate S3's default
                // CRC trailers (s3proxy, older MinIO, Ceph) reject them.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(o -> o
                        .apiCallTimeout(callTimeout)
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(ATTEMPTS).build()));
        var presigner = S3Presigner.builder()
                .region(Region.of(s3.region()))
                .credentialsProvider(provider)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(s3.forcePathStyle()).build());
        if (s3.endpoint() != null && !s3.endpoint().isBlank()) {
            builder.endpointOverride(URI.create(s3.endpoint()));
            presigner.endpointOverride(URI.create(s3.endpoint()));
        }
        return new S3Clients(builder.build(), presigner.build());
    }

    /**
     * Signs headers only, never the body (UNSIGNED-PAYLOAD), over http as the SDK already does over https.
     * The body's integrity is checked by the store from the sha256 checksum each part carries
     * ({@code sendChecksum}). Over plain http (an in-cluster MinIO) the SDK otherwise forces a signed
     * payload whatever PAYLOAD_SIGNING_ENABLED says: one more SHA-256 pass over every byte in the gateway,
     * and another in the store to check it. Its async signer treats "payload signing with chunk encoding"
     * over http as unsigned (and has no async chunk encoding), so CHUNK_ENCODING_ENABLED is what turns the
     * hashing off; S3ClientsTest checks the headers actually sent.
     */
    private static S3AuthSchemeProvider unsignedPayload() {
        S3AuthSchemeProvider defaults = S3AuthSchemeProvider.defaultProvider();
        // Only the calls that carry the blob's bytes. With these properties a call without a body is framed as a
        // chunked one, which a servlet-based store (s3proxy on Jetty) reads as form fields when the call's type is
        // application/x-www-form-urlencoded (CreateMultipartUpload of such a blob): its signature then fails (403).
        return params -> !BYTE_CARRYING.contains(params.operation()) ? defaults.resolveAuthScheme(params)
                : defaults.resolveAuthScheme(params).stream()
                .map(option -> option.toBuilder()
                        .putSignerProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false)
                        .putSignerProperty(AwsV4FamilyHttpSigner.CHUNK_ENCODING_ENABLED, true)
                        .build())
                .toList();
    }

    /** The backend's Secret (accessKeyId, secretAccessKey, optional sessionToken), else the default AWS chain. */
    static AwsCredentialsProvider credentials(Map<String, String> values) {
        String id = values.get("accessKeyId");
        String secret = values.get("secretAccessKey");
        if (id == null || secret == null) {
            return DefaultCredentialsProvider.builder().build();
        }
        String token = values.get("sessionToken");
        return StaticCredentialsProvider.create(token == null || token.isBlank()
                ? AwsBasicCredentials.create(id, secret)
                : AwsSessionCredentials.create(id, secret, token));
    }

    @Override
    public void close() {
        client.close();
        presigner.close();
    }
}
