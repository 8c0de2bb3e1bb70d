import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.auth.scheme.S3AuthSchemeProvider;

/**
 * The S3 benchmark's "straight to the store" side done the way an AWS SDK user uploads a large file:
 * the SDK's multipart client (as S3TransferManager and `aws s3 cp` do above their threshold), parts of
 * PART_BYTES read from the file, several in flight. Signed like the gateway's client (headers only, no
 * checksums it does not need), so the two differ only in the path, not in what each byte costs to sign.
 * A first upload of WARMUP_BYTES warms the JIT (the gateway gets the same), then the timed one runs.
 * Prints "status seconds".
 * Run with the gateway jar on the class path:
 *   java -cp conduit-gateway.jar DirectSdkUpload.java ENDPOINT BUCKET KEY FILE ACCESS_KEY SECRET PART_BYTES WARMUP_BYTES
 */
public class DirectSdkUpload {
    public static void main(String[] args) throws Exception {
        URI endpoint = URI.create(args[0]);
        String bucket = args[1];
        String key = args[2];
        Path file = Path.of(args[3]);
        long partBytes = Long.parseLong(args[6]);
        long warmupBytes = Long.parseLong(args[7]);
        S3AuthSchemeProvider defaults = S3AuthSchemeProvider.defaultProvider();
        try (S3AsyncClient s3 = S3AsyncClient.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(endpoint)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(args[4], args[5])))
                .authSchemeProvider(params -> defaults.resolveAuthScheme(params).stream()
                        .map(option -> option.toBuilder()
                                .putSignerProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false)
                                .putSignerProperty(AwsV4FamilyHttpSigner.CHUNK_ENCODING_ENABLED, true)
                                .build())
                        .toList())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                // s3proxy answers 501 to the object-size hint the multipart client adds on completion.
                .overrideConfiguration(o -> o.addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
                        return context.httpRequest().toBuilder().removeHeader("x-amz-mp-object-size").build();
                    }
                }))
                .multipartEnabled(true)
                .multipartConfiguration(c -> c.minimumPartSizeInBytes(partBytes).thresholdInBytes(partBytes))
                .build()) {
            Path warmup = Files.createTempFile("warmup", ".bin");
            try (var in = Files.newInputStream(file); var out = Files.newOutputStream(warmup)) {
                byte[] chunk = new byte[1 << 20];
                for (long left = warmupBytes; left > 0; ) {
                    int n = in.read(chunk, 0, (int) Math.min(chunk.length, left));
                    out.write(chunk, 0, n);
                    left -= n;
                }
            }
            s3.putObject(b -> b.bucket(bucket).key(key + ".warmup"), AsyncRequestBody.fromFile(warmup)).join();
            Files.delete(warmup);
            // As the script does before every timed upload: no writeback of earlier data during this one.
            new ProcessBuilder("sync").inheritIO().start().waitFor();

            long start = System.nanoTime();
            var response = s3.putObject(b -> b.bucket(bucket).key(key), AsyncRequestBody.fromFile(file)).join();
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.println(response.sdkHttpResponse().statusCode() + " " + seconds);
        }
    }
}
