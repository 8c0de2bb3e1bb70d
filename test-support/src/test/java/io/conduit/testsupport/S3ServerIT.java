package io.conduit.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class S3ServerIT {

    /** s3proxy of this test's own, whatever CONDUIT_TEST_S3_ENDPOINT says. */
    private static S3Server localS3() {
        Env env = Env.system();
        return Resolver.resolve(S3Server.NAME, S3Server.REMEDY, env.ci(), List.of(new S3ProxyLocator()))
                .map(s -> new S3Server(s, S3Server.LOCAL_ACCESS_KEY, S3Server.LOCAL_SECRET_KEY)).get();
    }

    @Test
    void localS3ProxySpeaksS3RefusesAnonymousCallsAndRestartsOnTheSamePort() throws Exception {
        try (S3Server s3 = localS3()) {
            int port = s3.port();
            assertThat(s3.origin()).isEqualTo(Origin.LOCAL_BINARY);
            assertThat(s3.endpoint()).hasToString("http://127.0.0.1:" + port);
            assertThat(s3.accessKey()).isEqualTo(S3Server.LOCAL_ACCESS_KEY);
            assertThat(anonymousListBuckets(s3)).as("S3 XML error for an unsigned call").contains("<Error>")
                    .contains("AccessDenied");

            s3.stop();
            assertThatThrownBy(() -> new Socket(s3.host(), port).close()).isInstanceOf(ConnectException.class);

            s3.start();
            assertThat(s3.port()).isEqualTo(port);
            assertThat(anonymousListBuckets(s3)).contains("<Error>");
        }
    }

    private static String anonymousListBuckets(S3Server s3) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(s3.endpoint()).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(403);
        return response.body();
    }
}
