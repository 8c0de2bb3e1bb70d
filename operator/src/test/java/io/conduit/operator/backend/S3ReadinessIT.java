package io.conduit.operator.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.conduit.api.v1alpha1.BlobBackend;
import io.conduit.operator.OperatorMockServer;
import io.conduit.operator.Statuses;
import io.conduit.testsupport.S3Server;
import io.conduit.testsupport.TestServers;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;

/** The S3 check against the real S3-compatible server of test-support (s3proxy, or the one its env names). */
@EnableKubernetesMockClient(crud = true)
class S3ReadinessIT {
    static final String BUCKET = "operator-ready-it";
    static KubernetesClient client;
    static S3Server s3;

    @BeforeAll
    static void bucket() {
        s3 = TestServers.s3();
        try (S3Client admin = S3Client.builder().region(Region.of(s3.region())).forcePathStyle(true)
                .endpointOverride(s3.endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())))
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            admin.createBucket(b -> b.bucket(BUCKET));
        } catch (BucketAlreadyOwnedByYouException e) {
            // a rerun against a long-lived server: the bucket is there, which is all the test needs
        }
    }

    static Map<String, String> keys() {
        return Map.of("accessKeyId", s3.accessKey(), "secretAccessKey", s3.secretKey());
    }

    static Probe check(String bucket, Map<String, String> credentials) {
        return S3Check.check(bucket, s3.region(), s3.endpoint().toString(), true, credentials);
    }

    @Test
    void headBucketOnAnExistingBucketWithTheRightKeysIsConnected() {
        Probe probe = check(BUCKET, keys());
        assertThat(probe.ok()).as(probe.message()).isTrue();
        assertThat(probe.message()).contains("HeadBucket", BUCKET);
    }

    @Test
    void aBucketThatDoesNotExistIsBucketNotFound() {
        Probe probe = check("no-such-bucket-for-conduit", keys());
        assertThat(probe.ok()).isFalse();
        assertThat(probe.reason()).as(probe.message()).isEqualTo("BucketNotFound");
    }

    @Test
    void aWrongSecretKeyIsAccessDeniedThatDoesNotRepeatTheKey() {
        Probe probe = check(BUCKET, Map.of("accessKeyId", s3.accessKey(), "secretAccessKey", "wrong-secret-key-9876"));
        assertThat(probe.ok()).isFalse();
        assertThat(probe.reason()).as(probe.message()).isEqualTo("AccessDenied");
        assertThat(probe.message()).doesNotContain("wrong-secret-key-9876");
    }

    @Test
    void theOperatorReportsARealBucketReadyAndAWrongKeyNot() {
        Operator operator = OperatorMockServer.start(client, new BlobBackendReconciler());
        try {
            // An unlabelled Secret: the operator does not watch it, it reads it by name for the check.
            OperatorMockServer.apply(client, "files", """
                    apiVersion: v1
                    kind: Secret
                    metadata: {name: s3-creds, namespace: files}
                    stringData: {accessKeyId: "%s", secretAccessKey: "%s"}
                    ---
                    apiVersion: conduit.io/v1alpha1
                    kind: BlobBackend
                    metadata: {name: uploads, namespace: files}
                    spec:
                      type: s3
                      s3: {bucket: %s, region: %s, endpoint: "%s", forcePathStyle: true, credentialsSecretRef: {name: s3-creds}}
                    """.formatted(s3.accessKey(), s3.secretKey(), BUCKET, s3.region(), s3.endpoint()));
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    Statuses.of(client, BlobBackend.class, "files", "uploads", "Ready").equals("True/Connected"));

            // Rotating to a wrong key, labelled conduit.io/watched=true as the docs say, shows at once: the Secret is watched
            // from then on (unlabelled, it would show at the next periodic check).
            OperatorMockServer.apply(client, "files", """
                    apiVersion: v1
                    kind: Secret
                    metadata: {name: s3-creds, namespace: files, labels: {conduit.io/watched: "true"}}
                    stringData: {accessKeyId: "%s", secretAccessKey: not-the-secret-key}
                    """.formatted(s3.accessKey()));
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    Statuses.of(client, BlobBackend.class, "files", "uploads", "Ready").equals("False/AccessDenied"));
            assertThat(Statuses.condition(client, BlobBackend.class, "files", "uploads", "Ready").orElseThrow().getMessage())
                    .doesNotContain("not-the-secret-key");
        } finally {
            operator.stop();
        }
    }
}
