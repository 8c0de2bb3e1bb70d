package io.conduit.gateway.blob;

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
