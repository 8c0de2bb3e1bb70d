package io.conduit.operator.gateway;

import io.conduit.config.ConfigJson;
import io.fabric8.kubernetes.api.model.Pod;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * {@code PUT /admin/config} to one pod's admin port, answering the revision the pod now runs, or
 * why not. The admin port is not in the Service: the operator reaches each pod by its IP.
 */
final class ConfigPusher {
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT).build();

    /** What a pod answered to a push. */
    record Outcome(String revision, String error) {
        boolean ok() {
            return error == null;
        }
    }

    Outcome push(Pod pod, String configJson, String token) {
        String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
        if (ip == null) {
            return new Outcome(null, "pod has no IP yet");
        }
        var port = adminPort(pod);
        if (port.isEmpty()) {
            // Never a guessed port: whatever listens there (a developer's own gateway, say) would get the config and token.
            return new Outcome(null, "pod declares no container port named admin");
        }
        URI uri = URI.create("http://" + (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port.get() + "/admin/config");
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri)
                    .timeout(TIMEOUT)
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + token)
                    .PUT(HttpRequest.BodyPublishers.ofString(configJson))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return new Outcome(null, "pod answered " + response.statusCode() + ": " + abbreviate(response.body()));
            }
            return new Outcome(ConfigJson.MAPPER.readTree(response.body()).path("revision").asText(null), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(null, "interrupted");
        } catch (Exception e) {
            return new Outcome(null, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** The port the pod declares as {@code admin}, if any. */
    static java.util.Optional<Integer> adminPort(Pod pod) {
        return pod.getSpec() == null ? java.util.Optional.empty() : pod.getSpec().getContainers().stream()
                .flatMap(c -> c.getPorts() == null ? java.util.stream.Stream.empty() : c.getPorts().stream())
                .filter(p -> "admin".equals(p.getName()) && p.getContainerPort() != null)
                .map(p -> p.getContainerPort())
                .findFirst();
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
