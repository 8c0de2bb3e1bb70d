package io.conduit.gateway;

import com.fasterxml.jackson.core.type.TypeReference;
import io.conduit.config.ConfigJson;
import io.conduit.config.GatewayConfig;
import io.conduit.config.GatewayCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Reads what the operator mounts into a gateway pod: the rendered config and its credentials. */
final class RenderedConfigFiles {
    private RenderedConfigFiles() {
    }

    static GatewayConfig readConfig(Path file) throws IOException {
        return ConfigJson.readConfig(Files.readString(file));
    }

    static GatewayCredentials readCredentials(Path file) throws IOException {
        if (!Files.exists(file)) {
            return GatewayCredentials.NONE;
        }
        return new GatewayCredentials(ConfigJson.MAPPER.readValue(Files.readString(file),
                new TypeReference<Map<String, Map<String, String>>>() { }));
    }
}
