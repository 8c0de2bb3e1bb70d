package io.conduit.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.conduit.config.ConfigJson;
import io.conduit.render.GatewayRenderer;
import io.conduit.render.RenderResult;
import io.conduit.render.ResourceSet;
import io.conduit.gateway.config.ResourceFolder;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A gateway as the operator runs it: from a mounted, rendered GatewayConfig and credentials file. */
class RenderedConfigIT {
    @TempDir
    Path root;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    RenderResult render(String queue) throws Exception {
        String yaml = GatewayHarness.backends(root) + "---\n" + ReloadIT.rule(queue);
        ResourceSet resources = ResourceFolder.load(Map.of("all.yaml",
                new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)))).resources();
        return new GatewayRenderer().renderStandalone(resources, null);
    }

    /** Writes a file the way kubelet updates a mount: a new file renamed over the old one. */
    static void mount(Path file, String content) throws Exception {
        Path next = file.resolveSibling("." + file.getFileName() + ".next");
        Files.writeString(next, content);
        Files.move(next, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    String queueServing(GatewayServer server) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.trafficPort() + "/work"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return ConfigJson.MAPPER.readTree(r.body()).at("/queueRef/queue").asText();
    }

    @Test
    void servesTheMountedConfigAndFollowsItsChanges() throws Exception {
        Path configDir = Files.createDirectories(root.resolve("config"));
        Path credentialsDir = Files.createDirectories(root.resolve("credentials"));
        Path config = configDir.resolve("config.json");
        Path credentials = credentialsDir.resolve("credentials.json");
        mount(config, ConfigJson.write(render("v1").config()));
        mount(credentials, "{}");

        GatewayServer server = new GatewayServer(new GatewayOptions(null, "127.0.0.1", 0, "127.0.0.1", 0, null, null,
                config, credentials));
        try {
            server.start().toCompletionStage().toCompletableFuture().get();
            assertThat(queueServing(server)).isEqualTo("v1");

            RenderResult next = render("v2");
            mount(config, ConfigJson.write(next.config()));

            assertThat(GatewayHarness.eventually(Duration.ofSeconds(10), () -> queueServing(server).equals("v2"))).isTrue();
            HttpResponse<String> admin = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.adminPort() + "/admin/config")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ConfigJson.MAPPER.readTree(admin.body()).get("revision").asText()).isEqualTo(next.config().revision());
        } finally {
            server.close();
        }
    }
}
