package io.conduit.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conduit.config.ConfigJson;
import io.conduit.testsupport.Env;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * A real headless Chromium (Debian's {@code chromium}, or {@code CHROMIUM_BIN}), driven over the
 * DevTools protocol: open a page, run a script in it, read what it returned. Missing: the test is
 * skipped, or fails under {@code CI=true}.
 */
final class HeadlessChromium implements AutoCloseable {
    private final Process process;
    private final Path profile;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();

    private HeadlessChromium(Process process, Path profile, int port) {
        this.process = process;
        this.profile = profile;
        this.port = port;
    }

    static HeadlessChromium start() throws Exception {
        Env env = Env.system();
        String binary = env.get("CHROMIUM_BIN") != null ? env.get("CHROMIUM_BIN") : "/usr/bin/chromium";
        if (!Files.isExecutable(Path.of(binary))) {
            String why = "no Chromium at " + binary + " (apt-get install chromium, or set CHROMIUM_BIN)";
            if (env.ci()) {
                throw new IllegalStateException(why);
            }
            Assumptions.abort(why);
        }
        Path profile = Files.createTempDirectory("conduit-chromium");
        Process process = new ProcessBuilder(binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0", "about:blank")
                .redirectErrorStream(true)
                .redirectOutput(profile.resolve("chromium.log").toFile())
                .start();
        // Chromium writes the port it chose into the profile once DevTools listens.
        Path portFile = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(portFile) || Files.readAllLines(portFile).isEmpty()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException("Chromium did not start: " + Files.readString(profile.resolve("chromium.log")));
            }
            Thread.sleep(50);
        }
        return new HeadlessChromium(process, profile, Integer.parseInt(Files.readAllLines(portFile).get(0).trim()));
    }

    /** Opens {@code url} in a new tab, waits for it to load, and returns the value {@code script} (a promise) resolves to. */
    String run(String url, String script) throws Exception {
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/new?"
                + URLEncoder.encode(url, StandardCharsets.UTF_8))).PUT(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode target = ConfigJson.MAPPER.readTree(created.body());
        try (Tab tab = new Tab(http, URI.create(target.get("webSocketDebuggerUrl").asText()))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!tab.evaluate("location.href + ' ' + document.readyState").equals(url + " complete")) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("page " + url + " did not load");
                }
                Thread.sleep(50);
            }
            return tab.evaluate(script);
        }
    }

    /** One DevTools session with a page. */
    private static final class Tab implements WebSocket.Listener, AutoCloseable {
        private final WebSocket socket;
        private final AtomicInteger ids = new AtomicInteger();
        private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
        private final StringBuilder partial = new StringBuilder();

        Tab(HttpClient http, URI debugger) {
            this.socket = http.newWebSocketBuilder().buildAsync(debugger, this).join();
        }

        String evaluate(String expression) throws Exception {
            int id = ids.incrementAndGet();
            ObjectNode call = ConfigJson.MAPPER.createObjectNode().put("id", id).put("method", "Runtime.evaluate");
            call.putObject("params").put("expression", expression).put("awaitPromise", true).put("returnByValue", true);
            CompletableFuture<JsonNode> reply = new CompletableFuture<>();
            pending.put(id, reply);
            socket.sendText(ConfigJson.MAPPER.writeValueAsString(call), true).join();
            JsonNode result = reply.get(30, TimeUnit.SECONDS);
            if (result.has("error") || result.at("/result/exceptionDetails").isObject()) {
                throw new IllegalStateException("script failed: " + result);
            }
            return result.at("/result/result/value").asText();
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode message = ConfigJson.MAPPER.readTree(partial.toString());
                    CompletableFuture<JsonNode> reply = message.has("id") ? pending.remove(message.get("id").asInt()) : null;
                    if (reply != null) {
                        reply.complete(message);
                    }
                } catch (IOException e) {
                    pending.values().forEach(f -> f.completeExceptionally(e));
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void close() {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

}
