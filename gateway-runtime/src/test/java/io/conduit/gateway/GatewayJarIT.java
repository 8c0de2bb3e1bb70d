package io.conduit.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.conduit.config.ConfigJson;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shaded jar as a user runs it: {@code java -jar conduit-gateway.jar [options]}. */
class GatewayJarIT {
    static final Path JAR = Path.of(System.getProperty("conduit.gateway.jar", "target/conduit-gateway.jar"));
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path workDir;

    Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-jar",
                JAR.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(workDir.resolve("gateway.log").toFile())
                .redirectErrorStream(true)
                .start();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    HttpResponse<String> waitUntilReady(int port, Process process) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < end && process.isAlive()) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return r;
                }
            } catch (IOException notYet) {
                // Still starting.
            }
            Thread.sleep(100);
        }
        throw new AssertionError("gateway never became ready:\n" + Files.readString(workDir.resolve("gateway.log")));
    }

    HttpResponse<String> post(int port, String path, String contentType, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void withoutConfigItServesTheEmbeddedQuickstartUnderConduitData() throws Exception {
        int port = freePort();
        Process gateway = start("--port", String.valueOf(port), "--admin-port", String.valueOf(freePort()));
        try {
            waitUntilReady(port, gateway);

            HttpResponse<String> upload = post(port, "/upload", "application/octet-stream", "hello");
            assertThat(upload.statusCode()).as(upload.body()).isEqualTo(201);
            JsonNode blobRef = ConfigJson.MAPPER.readTree(upload.body()).get("blobRef");
            assertThat(workDir.resolve("conduit-data/blobs").resolve(blobRef.get("path").asText())).exists();

            HttpResponse<String> order = post(port, "/work-orders", "application/json", "{\"idempotencyKey\":\"wo-1\"}");
            assertThat(order.statusCode()).as(order.body()).isEqualTo(202);
            assertThat(ConfigJson.MAPPER.readTree(order.body()).at("/queueRef/jobId").asText()).isEqualTo("wo-1");
            assertThat(workDir.resolve("conduit-data/queues/work-orders/new/wo-1.json")).exists();
            assertThat(GatewayHarness.files(workDir.resolve("conduit-data/queues/agents%2FFileProcessor%2Finbox/new")))
                    .hasSize(1);
            // The jar grants native access (Enable-Native-Access), so a current JDK prints no restricted-method warnings.
            assertThat(Files.readString(workDir.resolve("gateway.log"))).as("JVM warnings on start (%s)", Runtime.version())
                    .doesNotContain("WARNING: ");
        } finally {
            gateway.destroy();
            assertThat(gateway.waitFor(30, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
        }
    }

    @Test
    void aMissingConfigFolderIsAClearStartupError() throws Exception {
        Process gateway = start("--config", workDir.resolve("nope").toString());
        assertThat(gateway.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(gateway.exitValue()).isEqualTo(2);
        assertThat(Files.readString(workDir.resolve("gateway.log"))).contains("is not a readable folder");
    }

    @Test
    void aLogFileThatCannotBeOpenedIsAStartupError() throws Exception {
        Files.writeString(workDir.resolve("not-a-folder"), "x");
        Process gateway = start("--log", workDir.resolve("not-a-folder/gateway.jsonl").toString(), "--port",
                String.valueOf(freePort()), "--admin-port", String.valueOf(freePort()));
        assertThat(gateway.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(gateway.exitValue()).isEqualTo(2);
        assertThat(Files.readString(workDir.resolve("gateway.log"))).contains("cannot open the log file");
    }

    @Test
    void anUnknownOptionIsAUsageError() throws Exception {
        Process gateway = start("--frobnicate");
        assertThat(gateway.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(gateway.exitValue()).isEqualTo(2);
        assertThat(Files.readString(workDir.resolve("gateway.log"))).contains("unknown option --frobnicate").contains("usage:");
    }

    @Test
    void sighupReloadsTheFolder() throws Exception {
        Path config = Files.createDirectories(workDir.resolve("config"));
        Files.writeString(config.resolve("all.yaml"), GatewayHarness.backends(workDir) + "---\n" + ReloadIT.rule("v1"));
        int port = freePort();
        int adminPort = freePort();
        Process gateway = start("--config", config.toString(), "--port", String.valueOf(port), "--admin-port",
                String.valueOf(adminPort));
        try {
            waitUntilReady(port, gateway);
            URI admin = URI.create("http://127.0.0.1:" + adminPort + "/admin/config");
            String before = ConfigJson.MAPPER.readTree(http.send(HttpRequest.newBuilder(admin).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).get("lastAttemptAt").asText();

            new ProcessBuilder("kill", "-HUP", String.valueOf(gateway.pid())).start().waitFor();

            assertThat(GatewayHarness.eventually(Duration.ofSeconds(10), () -> !ConfigJson.MAPPER.readTree(
                    http.send(HttpRequest.newBuilder(admin).build(), HttpResponse.BodyHandlers.ofString()).body())
                    .get("lastAttemptAt").asText().equals(before))).as("SIGHUP made a reload attempt").isTrue();
            assertThat(gateway.isAlive()).isTrue();
            assertThat(post(port, "/work", "application/json", "{}").statusCode()).isEqualTo(202);
        } finally {
            gateway.destroy();
            gateway.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void underNohupTheIgnoredSighupIsSaidAtStart() throws Exception {
        assertThat(startupLog("nohup")).contains("SIGHUP is ignored by this process");
    }

    @Test
    void withoutNohupNothingIsSaidAboutSighup() throws Exception {
        assertThat(startupLog()).doesNotContain("SIGHUP is ignored");
    }

    /** What the jar logged until it was ready, started behind {@code wrapper} (a command such as nohup, or none). */
    private String startupLog(String... wrapper) throws Exception {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(wrapper));
        command.addAll(List.of(ProcessHandle.current().info().command().orElse("java"), "-jar", JAR.toAbsolutePath().toString(),
                "--port", String.valueOf(port), "--admin-port", String.valueOf(freePort())));
        Process gateway = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(workDir.resolve("gateway.log").toFile()).redirectErrorStream(true).start();
        try {
            waitUntilReady(port, gateway);
            return Files.readString(workDir.resolve("gateway.log"));
        } finally {
            gateway.destroy();
            gateway.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
