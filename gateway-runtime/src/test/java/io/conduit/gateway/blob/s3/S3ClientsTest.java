package io.conduit.gateway.blob.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

class S3ClientsTest {

    @Test
    void secretKeysAreUsedAsGivenWithTheSessionTokenWhenThereIsOne() {
        var basic = S3Clients.credentials(Map.of("accessKeyId", "AKIA1", "secretAccessKey", "s1"));
        assertThat(basic).isInstanceOf(StaticCredentialsProvider.class);
        assertThat(basic.resolveCredentials().accessKeyId()).isEqualTo("AKIA1");
        assertThat(basic.resolveCredentials().secretAccessKey()).isEqualTo("s1");

        var session = S3Clients.credentials(Map.of("accessKeyId", "ASIA2", "secretAccessKey", "s2", "sessionToken", "t2"));
        assertThat(session.resolveCredentials()).isInstanceOfSatisfying(AwsSessionCredentials.class,
                c -> assertThat(c.sessionToken()).isEqualTo("t2"));
    }

    /**
     * Over plain http the SDK would hash every body for a signed payload (CPU on both sides); the client
     * must sign headers only, and still send the part's sha256 checksum the store verifies.
     */
    @Test
    void bodiesAreNotHashedForTheSignatureOverPlainHttp() throws Exception {
        var seen = new java.util.concurrent.CopyOnWriteArrayList<com.sun.net.httpserver.Headers>();
        var server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            seen.add(exchange.getRequestHeaders());
            exchange.getResponseHeaders().add("ETag", "\"e\"");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        var config = new io.conduit.config.BlobBackendConfig.S3("b", "us-east-1",
                "http://127.0.0.1:" + server.getAddress().getPort(), true, null, null, 8 << 20, true);
        try (S3Clients clients = S3Clients.create(config, Map.of("accessKeyId", "k", "secretAccessKey", "s"),
                java.time.Duration.ofSeconds(10))) {
            byte[] body = "some bytes".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            String sum = java.util.Base64.getEncoder().encodeToString(
                    java.security.MessageDigest.getInstance("SHA-256").digest(body));
            clients.client().uploadPart(b -> b.bucket("b").key("k").uploadId("u").partNumber(1)
                            .contentLength((long) body.length).checksumSHA256(sum),
                    software.amazon.awssdk.core.async.AsyncRequestBody.fromBytes(body)).get();
            assertThat(seen).singleElement().satisfies(h -> {
                assertThat(h.getFirst("x-amz-content-sha256")).isEqualTo("UNSIGNED-PAYLOAD");
                assertThat(h.getFirst("x-amz-checksum-sha256")).isEqualTo(sum);
                assertThat(h.getFirst("Authorization")).contains("x-amz-content-sha256");
                assertThat(h.getFirst("Content-Encoding")).as("no aws-chunked framing").isNull();
            });
        } finally {
            server.stop(0);
        }
    }

    @Test
    void withoutASecretTheDefaultAwsChainApplies() {
        assertThat(S3Clients.credentials(Map.of())).isInstanceOf(DefaultCredentialsProvider.class);
        assertThat(S3Clients.credentials(Map.of("accessKeyId", "only-half"))).isInstanceOf(DefaultCredentialsProvider.class);
    }

    @Test
    void filenamesInMetadataArePercentEncodedAsciiAndComeBackUnchanged() {
        String name = "rapport été + plan (v2).pdf";
        String encoded = S3Upload.encodeMeta(name);
        assertThat(encoded).matches("[\\x21-\\x7e]+");
        assertThat(S3Upload.decodeMeta(encoded)).isEqualTo(name);
    }
}
