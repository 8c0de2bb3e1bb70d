package io.conduit.gateway;

import io.conduit.testsupport.S3Server;
import java.net.URI;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A fresh bucket on the test S3 server, an SDK client to check what the gateway stored, and the
 * resource YAML (Secret + BlobBackend) that points a gateway at it.
 */
final class S3Fixture implements AutoCloseable {
    final S3Server server;
    final String bucket = "conduit-" + UUID.randomUUID().toString().substring(0, 12);
    final S3AsyncClient sdk;

    S3Fixture(S3Server server) {
        this.server = server;
        this.sdk = S3AsyncClient.builder()
                .endpointOverride(server.endpoint())
                .region(Region.of(server.region()))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(server.accessKey(),
                        server.secretKey())))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
        sdk.createBucket(b -> b.bucket(bucket)).join();
    }

    /** Secret {@code s3-keys} and BlobBackend {@code name} on this bucket; {@code extraSpec} lines go under spec. */
    String backend(String name, String extraSpec) {
        return backend(name, extraSpec, "");
    }

    /** As {@link #backend(String, String)}, with {@code extraS3} lines under spec.s3. */
    String backend(String name, String extraSpec, String extraS3) {
        return """
                apiVersion: v1
                kind: Secret
                metadata: {name: s3-keys-%1$s}
                stringData: {accessKeyId: "%2$s", secretAccessKey: "%3$s"}
                ---
                apiVersion: conduit.io/v1alpha1
                kind: BlobBackend
                metadata: {name: %1$s}
                spec:
                  type: s3
                  s3:
                    bucket: %4$s
                    endpoint: "%5$s"
                    forcePathStyle: true
                    partSize: 5Mi
                    credentialsSecretRef: {name: s3-keys-%1$s}
                %7$s
                %6$s
                ---
                """.formatted(name, server.accessKey(), server.secretKey(), bucket, server.endpoint(),
                extraSpec.indent(2).stripTrailing(), extraS3.indent(4).stripTrailing());
    }

    byte[] read(String key) {
        return sdk.getObject(b -> b.bucket(bucket).key(key), AsyncResponseTransformer.toBytes()).join().asByteArray();
    }

    HeadObjectResponse head(String key) {
        return sdk.headObject(b -> b.bucket(bucket).key(key)).join();
    }

    /** Every object key in the bucket, the gateway's index records included. */
    List<String> keys() {
        return sdk.listObjectsV2(b -> b.bucket(bucket)).join().contents().stream().map(S3Object::key).sorted().toList();
    }

    /** Object keys outside the gateway's own {@code .conduit/} records. */
    List<String> blobKeys() {
        return keys().stream().filter(k -> !k.contains(".conduit/")).toList();
    }

    int openMultipartUploads() {
        return sdk.listMultipartUploads(b -> b.bucket(bucket)).join().uploads().size();
    }

    /** A request body of {@code content} that stops {@code server} once {@code stopAt} bytes were read: the store goes away mid-upload. */
    static java.net.http.HttpRequest.BodyPublisher stoppingServerAt(byte[] content, S3Server server, int stopAt) {
        return java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.InputStream() {
            int pos;

            @Override
            public int read() {
                return pos < content.length ? content[pos++] & 0xFF : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= content.length) {
                    return -1;
                }
                if (pos >= stopAt && server.running()) {
                    server.stop();
                }
                int n = Math.min(len, content.length - pos);
                System.arraycopy(content, pos, b, off, n);
                pos += n;
                return n;
            }
        });
    }

    static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    URI endpoint() {
        return server.endpoint();
    }

    @Override
    public void close() {
        sdk.close();
    }
}
