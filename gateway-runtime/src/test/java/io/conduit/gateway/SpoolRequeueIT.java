package io.conduit.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.conduit.gateway.queue.spool.SpoolRequeue;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A spool consumer that dies leaves its claim in {@code cur/}; {@code spool-requeue} gives claims older
 * than the timeout back to {@code new/} while the gateway serves, and leaves live claims alone.
 */
class SpoolRequeueIT {
    static final String RULES = """
            apiVersion: conduit.io/v1alpha1
            kind: RouteRule
            metadata: {name: work}
            spec:
              when: {http: {method: POST, path: /work}}
              send:
                queue: {backendRef: {name: queues}, queue: agents/Worker/inbox, options: {jobId: "{$body.id}"}}
            """;

    @TempDir
    Path root;

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int requeue(String... args) {
        return SpoolRequeue.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void aStaleClaimGoesBackToNewAndALiveOneStays() throws Exception {
        try (GatewayHarness gw = GatewayHarness.start(root, RULES)) {
            assertThat(gw.post("/work", "application/json", "{\"id\":\"job-dead\"}".getBytes()).statusCode()).isEqualTo(202);
            assertThat(gw.post("/work", "application/json", "{\"id\":\"job-live\"}".getBytes()).statusCode()).isEqualTo(202);
            Path dir = gw.queues.resolve("agents%2FWorker%2Finbox");
            // Two consumers claim one message each, as the contract says (rename new/ -> cur/); the first dies.
            Files.move(dir.resolve("new/job-dead.json"), dir.resolve("cur/job-dead.json"));
            Thread.sleep(2500);
            Files.move(dir.resolve("new/job-live.json"), dir.resolve("cur/job-live.json"));
            assertThat(state(gw, "job-dead")).isEqualTo("claimed");

            assertThat(requeue(gw.queues.toString(), "--older-than", "2s", "--dry-run")).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"wouldRequeue\":1");
            assertThat(state(gw, "job-dead")).as("a dry run moves nothing").isEqualTo("claimed");

            out.reset();
            assertThat(requeue(gw.queues.toString(), "--older-than", "2s", "--queue", "agents/Worker/inbox")).as(err.toString())
                    .isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"file\":\"job-dead.json\"").contains("\"requeued\":1")
                    .doesNotContain("job-live");
            assertThat(state(gw, "job-dead")).isEqualTo("new");
            assertThat(state(gw, "job-live")).isEqualTo("claimed");
            assertThat(GatewayHarness.json(Files.readString(dir.resolve("new/job-dead.json"))).get("id").asText())
                    .isEqualTo("job-dead");
        }
    }

    @Test
    void missingArgumentsAreAUsageError() {
        assertThat(requeue(root.toString())).isEqualTo(2);
        assertThat(requeue(root.toString(), "--older-than", "soon")).isEqualTo(2);
        assertThat(requeue(root.resolve("nope").toString(), "--older-than", "1m")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--older-than are required").contains("is not a duration")
                .contains("is not a folder");
    }

    static String state(GatewayHarness gw, String jobId) throws Exception {
        return GatewayHarness.json(gw.get("/v1/queues/queues/agents%2FWorker%2Finbox/jobs/" + jobId)).get("state").asText();
    }
}
