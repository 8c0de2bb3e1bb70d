package io.conduit.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Multipart uploads to a blob rule are recorded as they came (framing included, up to the cap), so
 * the jar's replay command sends the same form to a second gateway, which stores the same file.
 */
class ReplayMultipartIT {
    static final String RULES = """
            apiVersion: conduit.io/v1alpha1
            kind: RouteRule
            metadata: {name: upload}
            spec:
              when: {http: {method: POST, path: /upload}}
              send:
                blob: {backendRef: {name: blobs}}
            """;

    static String recording(Path file) {
        return """
                apiVersion: conduit.io/v1alpha1
                kind: EdgeGateway
                metadata: {name: edge}
                spec:
                  record: {enabled: true, path: "%s", maxBodySize: 4Ki}
                ---
                """.formatted(file);
    }

    @TempDir
    Path root;

    @Test
    void aMultipartUploadIsRecordedWholeAndReplayedToTheSameBlobWhileOneOverTheCapIsSkipped() throws Exception {
        Path record = root.resolve("a/record/session.jsonl");
        byte[] file = new byte[1500];
        ThreadLocalRandom.current().nextBytes(file);
        byte[] form = new Multipart().field("note", "first").file("file", "photo.bin", "application/octet-stream", file).build();
        byte[] bigForm = new Multipart().file("file", "big.bin", "application/octet-stream", new byte[8192]).build();
        try (GatewayHarness a = GatewayHarness.start(root.resolve("a"), recording(record) + RULES)) {
            assertThat(a.post("/upload", Multipart.contentType(), form).statusCode()).isEqualTo(201);
            assertThat(a.post("/upload", Multipart.contentType(), bigForm).statusCode()).isEqualTo(201);
        }
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readString(record).split("\n")) {
            lines.add(GatewayHarness.json(line));
        }
        assertThat(lines).hasSize(2);
        JsonNode recorded = lines.get(0);
        assertThat(recorded.has("bodyOmitted")).isFalse();
        assertThat(recorded.get("truncated").asBoolean()).isFalse();
        assertThat(recorded.get("bodySize").asLong()).isEqualTo(form.length);
        assertThat(Base64.getDecoder().decode(recorded.get("body").asText())).as("the form as sent, framing included")
                .isEqualTo(form);
        assertThat(lines.get(1).get("truncated").asBoolean()).isTrue();
        assertThat(lines.get(1).get("bodySize").asLong()).isEqualTo(bigForm.length);

        try (GatewayHarness b = GatewayHarness.start(root.resolve("b"), RULES)) {
            Process replay = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-jar",
                    GatewayJarIT.JAR.toAbsolutePath().toString(), "replay", record.toString(),
                    "--target", "http://127.0.0.1:" + b.server.trafficPort())
                    .redirectErrorStream(true).start();
            String output = new String(replay.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(replay.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(replay.exitValue()).as(output).isZero();
            List<JsonNode> results = new ArrayList<>();
            for (String line : output.strip().split("\n")) {
                results.add(GatewayHarness.json(line));
            }
            assertThat(results.get(0).get("status").asInt()).as(output).isEqualTo(201);
            assertThat(results.get(1).get("skipped").asText()).contains("record cap");
            assertThat(ReplayIT.blobs(b.blobs)).hasSize(1).first().isEqualTo(file);
        }
    }
}
