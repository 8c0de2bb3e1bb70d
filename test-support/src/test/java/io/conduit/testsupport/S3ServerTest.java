package io.conduit.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class S3ServerTest {

    @Test
    void endpointUrlsNeedHttpOrHttpsAndAHost() {
        assertThat(S3Server.parseUrl("http://minio:9000").port()).isEqualTo(9000);
        assertThat(S3Server.parseUrl("https://s3.example.com").port()).isEqualTo(443);
        assertThat(S3Server.parseUrl("http://localhost").port()).isEqualTo(80);
        assertThatThrownBy(() -> S3Server.parseUrl("redis://x:1")).hasMessageContaining("scheme redis");
        assertThatThrownBy(() -> S3Server.parseUrl("http:///nohost")).hasMessageContaining("no host");
    }

    @Test
    void anEnvEndpointThatNothingAnswersIsMisconfiguredNotSkipped() {
        Resolution<S3Server> r = S3Server.locate(Env.of(java.util.Map.of(S3Server.ENV_VAR, "http://127.0.0.1:" + FreePort.find())));
        assertThat(r).isInstanceOf(Resolution.Fail.class);
    }

    @Test
    void s3proxyConfigKeepsItOnLoopbackWithTheTestKeysAndItsOwnDataDir(@TempDir Path dir) throws Exception {
        var command = S3ProxyLocator.command(Path.of("/jdk/bin/java"), Path.of("/x/s3proxy.jar"), 4567, dir);
        assertThat(command).containsSubsequence("-jar", "/x/s3proxy.jar", "--properties");
        Properties p = new Properties();
        try (var in = Files.newInputStream(dir.resolve("s3proxy.conf"))) {
            p.load(in);
        }
        assertThat(p.getProperty("s3proxy.endpoint")).isEqualTo("http://127.0.0.1:4567");
        assertThat(p.getProperty("s3proxy.identity")).isEqualTo(S3Server.LOCAL_ACCESS_KEY);
        assertThat(p.getProperty("jclouds.filesystem.basedir")).isEqualTo(dir.resolve("data").toString());
        assertThat(dir.resolve("data")).isDirectory();
    }
}
