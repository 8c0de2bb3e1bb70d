package io.conduit.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands the README and the examples show, run as written (by bash, against the built jar on
 * free ports) wherever they need no cluster or outside service, so the documents stay true: each must
 * succeed, and the answers must be the ones the comments promise.
 */
class DocumentedCommandsIT {
    static final Path REPO = Path.of("..");

    @TempDir
    Path workDir;

    /** The first {@code ```bash} block after {@code heading} in {@code doc}. */
    static String bashBlock(Path doc, String heading) throws IOException {
        String text = Files.readString(doc);
        int at = text.indexOf(heading);
        assertThat(at).as("%s has a section %s", doc, heading).isNotNegative();
        int start = text.indexOf("```bash\n", at) + "```bash\n".length();
        return text.substring(start, text.indexOf("```", start));
    }

    /** The commands of a block: comments dropped, continuation lines joined. */
    static List<String> commands(String block) {
        List<String> commands = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : block.split("\n")) {
            String trimmed = line.strip();
            if (current.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
            } else {
                commands.add(current.append(trimmed).toString());
                current.setLength(0);
            }
        }
        return commands;
    }

    /**
     * Runs the commands in one bash (so {@code cd} carries over, as in a terminal) in {@code dir}, failing at the
     * first that fails; answers each command's output.
     */
    static Map<String, String> run(List<String> commands, Path dir) throws Exception {
        StringBuilder script = new StringBuilder("set -euo pipefail\n");
        for (int i = 0; i < commands.size(); i++) {
            script.append("echo '@@command ").append(i).append("'\n").append(commands.get(i)).append("\necho\n");
        }
        Process bash = new ProcessBuilder("bash", "-c", script.toString()).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.waitFor(3, TimeUnit.MINUTES)).isTrue();
        assertThat(bash.exitValue()).as("the documented commands failed:\n%s", output).isZero();
        Map<String, String> outputs = new LinkedHashMap<>();
        String[] parts = output.split("@@command \\d+\n", -1);
        for (int i = 0; i < commands.size(); i++) {
            outputs.put(commands.get(i), parts[i + 1].strip());
        }
        return outputs;
    }

    static String only(Map<String, String> outputs, String commandPart) {
        List<String> matching = outputs.keySet().stream().filter(c -> c.contains(commandPart)).toList();
        assertThat(matching).as("one documented command contains %s", commandPart).hasSize(1);
        return outputs.get(matching.getFirst());
    }

    @Test
    void theReadmesQuickstartCommandsWorkAsWritten() throws Exception {
        GatewayJarIT jar = new GatewayJarIT();
        jar.workDir = workDir;
        Files.copy(REPO.resolve("README.md"), workDir.resolve("README.md"));
        int port = GatewayJarIT.freePort();
        int adminPort = GatewayJarIT.freePort();
        Process gateway = jar.start("--port", String.valueOf(port), "--admin-port", String.valueOf(adminPort));
        try {
            jar.waitUntilReady(port, gateway);
            List<String> written = commands(bashBlock(REPO.resolve("README.md"), "## Try it"));
            assertThat(written).hasSizeGreaterThanOrEqualTo(8);
            // The fetch needs the blobId the first upload answered: run the uploads first, then everything.
            String upload = written.getFirst();
            String firstRef = run(List.of(local(upload, port, adminPort)), workDir).values().iterator().next();
            String blobId = GatewayHarness.json(firstRef).at("/blobRef/blobId").asText();
            assertThat(blobId).isNotEmpty();
            List<String> runnable = written.stream().map(c -> local(c, port, adminPort).replace("<blobId from the blobRef>", blobId))
                    .toList();
            Map<String, String> out = run(runnable, workDir);

            JsonNode raw = GatewayHarness.json(only(out, "--data-binary @README.md"));
            assertThat(raw.at("/blobRef/sha256").asText()).isEqualTo(blobId);
            assertThat(raw.at("/blobRef/size").asLong()).isEqualTo(Files.size(workDir.resolve("README.md")));
            assertThat(GatewayHarness.json(only(out, "-F file=@README.md")).at("/blobRef/blobId").asText()).isEqualTo(blobId);
            assertThat(only(out, "ls conduit-data/queues/agents%2FFileProcessor%2Finbox/new/").lines().toList())
                    .hasSizeGreaterThanOrEqualTo(2).allMatch(name -> name.endsWith(".json"));
            assertThat(only(out, "/v1/blobs/local-blobs/")).isEqualTo(Files.readString(workDir.resolve("README.md")).strip());
            JsonNode order = GatewayHarness.json(only(out, "localhost:8080/work-orders".replace("localhost:8080", "127.0.0.1:" + port)));
            assertThat(order.at("/queueRef/jobId").asText()).isEqualTo("wo-1");
            assertThat(GatewayHarness.json(only(out, "cat conduit-data/queues/work-orders/new/wo-1.json")).get("id").asText())
                    .isEqualTo("wo-1");
            assertThat(GatewayHarness.json(only(out, "/jobs/wo-1")).get("state").asText()).isEqualTo("new");
            assertThat(GatewayHarness.json(only(out, "/admin/config")).get("revision").asText()).isNotEmpty();
            assertThat(only(out, "/nowhere")).startsWith("HTTP/1.1 404").contains("\"code\":\"not_found\"");
        } finally {
            gateway.destroy();
            gateway.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void theWebSocketExamplesCommandsWorkAsWritten() throws Exception {
        NodeTools.requireNode("to run the WebSocket example's client");
        // The README runs from the repository's root: give the commands one with the example in its place.
        Path example = Files.createDirectories(workDir.resolve("examples/websocket/client"));
        for (String file : List.of("websocket.yaml", "client/client.js", "client/package.json", "client/package-lock.json")) {
            Files.copy(REPO.resolve("examples/websocket").resolve(file), example.getParent().resolve(file),
                    StandardCopyOption.COPY_ATTRIBUTES);
        }
        List<String> written = commands(bashBlock(REPO.resolve("examples/websocket/README.md"), "# WebSocket example"));
        String start = written.getFirst();
        Matcher args = Pattern.compile("^\\./conduit gateway (--config examples/websocket --port 8080) &").matcher(start);
        assertThat(args.find()).as("the README starts the gateway as expected: %s", start).isTrue();

        GatewayJarIT jar = new GatewayJarIT();
        jar.workDir = workDir;
        int port = GatewayJarIT.freePort();
        Process gateway = jar.start("--config", "examples/websocket", "--port", String.valueOf(port), "--admin-port",
                String.valueOf(GatewayJarIT.freePort()));
        try {
            jar.waitUntilReady(port, gateway);
            Map<String, String> out = run(written.subList(1, written.size()).stream()
                    .map(c -> c.replace("localhost:8080", "127.0.0.1:" + port)).toList(), workDir);

            List<JsonNode> acks = new ArrayList<>();
            for (String line : only(out, "/ws/sensor-1").lines().toList()) {
                acks.add(GatewayHarness.json(line));
            }
            assertThat(acks).hasSize(2);
            assertThat(acks.get(0).get("seq").asInt()).isEqualTo(1);
            assertThat(acks.get(1).at("/queueRef/backendName").asText()).isEqualTo("telemetry-queues");
            assertThat(acks.get(1).at("/queueRef/state").asText()).isEqualTo("new");
            assertThat(only(out, "/ws/sensor-2").lines().toList()).hasSize(2);
            List<String> jobs = only(out, "ls ../../../conduit-data/queues/telemetry/new/").lines().toList();
            assertThat(jobs).hasSize(4);
            Path queue = workDir.resolve("conduit-data/queues/telemetry/new");
            List<String> messages = new ArrayList<>();
            for (String job : jobs) {
                messages.add(GatewayHarness.json(Files.readString(queue.resolve(job))).get("message").toString());
            }
            assertThat(messages).contains("{\"device\":\"sensor-1\",\"reading\":{\"temp\":21.5}}",
                    "{\"device\":\"sensor-2\",\"reading\":\"plain text is a string\"}");
        } finally {
            gateway.destroy();
            gateway.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void theWebSocketClientSaysWhyAnUpgradeWasRefused() throws Exception {
        NodeTools.requireNode("to run the WebSocket example's client");
        NodeTools.npmCi(REPO.resolve("examples/websocket/client"), "node_modules/ws");
        GatewayJarIT jar = new GatewayJarIT();
        jar.workDir = workDir;
        int port = GatewayJarIT.freePort();
        Process gateway = jar.start("--port", String.valueOf(port), "--admin-port", String.valueOf(GatewayJarIT.freePort()));
        try {
            jar.waitUntilReady(port, gateway);
            Process client = new ProcessBuilder("node", REPO.resolve("examples/websocket/client/client.js").toAbsolutePath().toString(),
                    "ws://127.0.0.1:" + port + "/ws/nowhere", "{}").redirectErrorStream(true).start();
            String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(client.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(client.exitValue()).as(output).isEqualTo(1);
            assertThat(output).contains("upgrade refused: HTTP 404").contains("\"not_found\"");
        } finally {
            gateway.destroy();
            gateway.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void everyExampleFolderTheDocsServeExists() throws Exception {
        List<Path> docs = new ArrayList<>(List.of(REPO.resolve("README.md")));
        for (String folder : List.of("docs", "examples")) {
            try (var walk = Files.walk(REPO.resolve(folder))) {
                walk.filter(f -> f.toString().endsWith(".md") && !f.toString().contains("node_modules")).forEach(docs::add);
            }
        }
        Pattern served = Pattern.compile("--config (examples/[\\w-]+)");
        int seen = 0;
        for (Path doc : docs) {
            Matcher m = served.matcher(Files.readString(doc));
            while (m.find()) {
                seen++;
                assertThat(REPO.resolve(m.group(1))).as("%s serves %s", doc, m.group(1)).isDirectory();
            }
        }
        assertThat(seen).isGreaterThanOrEqualTo(4);
    }

    private static String local(String command, int port, int adminPort) {
        return command.replace("localhost:8080", "127.0.0.1:" + port).replace("localhost:9901", "127.0.0.1:" + adminPort);
    }
}
