package io.conduit.gateway.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.conduit.config.ConfigJson;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import io.conduit.testsupport.FreePort;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replay command's arguments, and how a recorded line becomes a request (the sending is covered by ReplayIT). */
class ReplayTest {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int run(String... args) {
        return Replay.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void aMissingTargetOrFileIsAUsageError() {
        assertThat(run("record.jsonl")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--target are required").contains("usage:");
        assertThat(run("--target", "http://127.0.0.1:1")).isEqualTo(2);
        assertThat(run("record.jsonl", "--target", "not a url")).isEqualTo(2);
        assertThat(run("record.jsonl", "--target", "http://x", "--header", "no-colon")).isEqualTo(2);
    }

    @Test
    void anUnreadableFileFails() {
        assertThat(run("/nonexistent/record.jsonl", "--target", "http://127.0.0.1:1")).isEqualTo(1);
    }

    @Test
    void redactedAndConnectionHeadersAreNotSentAndTheRequestIdIs() throws Exception {
        var recorded = ConfigJson.MAPPER.readTree("""
                {"type":"recorded","requestId":"r-1","method":"POST","uri":"/orders?a=1",
                 "headers":{"authorization":["[redacted]"],"host":["gw"],"content-length":["2"],"x-source":["shop","web"]},
                 "body":"e30=","bodySize":2,"truncated":false,"status":202}""");
        HttpRequest request = Replay.request(recorded, URI.create("http://127.0.0.1:9"), List.<String[]>of(
                new String[] {"Authorization", "Bearer target-token"}));
        assertThat(request.uri().toString()).isEqualTo("http://127.0.0.1:9/orders?a=1");
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.headers().allValues("authorization")).containsExactly("Bearer target-token");
        assertThat(request.headers().allValues("x-source")).containsExactly("shop", "web");
        assertThat(request.headers().firstValue("x-request-id")).hasValue("r-1");
        assertThat(request.headers().firstValue("host")).isEmpty();
        assertThat(request.bodyPublisher().orElseThrow().contentLength()).isEqualTo(2);
    }

    static final String SMALL = """
            {"type":"recorded","requestId":"r-1","method":"POST","uri":"/orders","headers":{},"body":"e30=","bodySize":2,"truncated":false,"status":202}
            """;
    static final String CUT = """
            {"type":"recorded","requestId":"r-2","method":"POST","uri":"/upload","headers":{},"body":"","bodySize":9000,"truncated":true,"status":201}
            """;

    @TempDir
    Path dir;

    @Test
    void aRefusedConnectionIsReportedInWordsNotAsNull() throws Exception {
        Path file = Files.writeString(dir.resolve("r.jsonl"), SMALL);
        int closedPort = FreePort.find();
        assertThat(run(file.toString(), "--target", "http://127.0.0.1:" + closedPort)).isEqualTo(1);
        String first = out.toString(StandardCharsets.UTF_8).lines().findFirst().orElseThrow();
        assertThat(ConfigJson.MAPPER.readTree(first).get("error").asText())
                .isEqualTo("connection to http://127.0.0.1:" + closedPort + " refused or unreachable");
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("null");
    }

    @Test
    void aFileWhoseRequestsWereAllSkippedFailsAndSaysWhy() throws Exception {
        Path file = Files.writeString(dir.resolve("r.jsonl"), CUT + CUT);
        // Nothing listens there, and nothing is sent: every request is skipped before a connection is tried.
        assertThat(run(file.toString(), "--target", "http://127.0.0.1:" + FreePort.find())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("nothing was sent: all 2 recorded requests were skipped");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"skipped\":2").contains("\"sent\":0");
    }

    @Test
    void aFileWithoutRecordedRequestsFails() throws Exception {
        Path file = Files.writeString(dir.resolve("r.jsonl"), "{\"type\":\"request\"}\n");
        assertThat(run(file.toString(), "--target", "http://127.0.0.1:" + FreePort.find())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("holds no recorded requests");
    }
}
