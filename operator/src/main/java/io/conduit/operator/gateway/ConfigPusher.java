package io.conduit.operator.gateway;

import io.conduit.config.ConfigJson;
import io.fabric8.kubernetes.api.model.Pod;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code PUT /admin/config} to one pod's admin port, answering the revision the pod now runs, or
 * why not. The admin port is not in the Service: the operator reaches each pod by its IP.
 * Asynchronous, so that {@link ConfigRollout} can ask every pod at once, and never longer than its timeout.
 */
final class ConfigPusher {
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    private final HttpClient http;
    private final Duration timeout;

    ConfigPusher() {
        this(TIMEOUT);
    }

    ConfigPusher(Duration timeout) {
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    /** What a pod answered to a push. */
    record Outcome(String revision, String error) {
        boolean ok() {
            return error == null;
        }
    }

    /** Never completes exceptionally: a failure is an {@link Outcome} with an error. */
    CompletableFuture<Outcome> push(Pod pod, String configJson, String token) {
        String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
        if (ip == null) {
            return CompletableFuture.completedFuture(new Outcome(null, "pod has no IP yet"));
        }
        var port = adminPort(pod);
        if (port.isEmpty()) {
            // Never a guessed port: whatever listens there (a developer's own gateway, say) would get the config and token.
            return CompletableFuture.completedFuture(new Outcome(null, "pod declares no container port named admin"));
        }
        URI uri = URI.create("http://" + (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port.get() + "/admin/config");
        return http.sendAsync(HttpRequest.newBuilder(uri)
                        .timeout(timeout)
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + token)
                        .PUT(HttpRequest.BodyPublishers.ofString(configJson))
                        .build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(this::answer)
                .exceptionally(this::failure)
                // Connecting and answering have a timeout each: together they get no more than one.
                .completeOnTimeout(late(), timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private Outcome late() {
        return new Outcome(null, "no answer within " + timeout.toMillis() + " ms");
    }

    private Outcome answer(HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            return new Outcome(null, "pod answered " + response.statusCode() + ": " + abbreviate(response.body()));
        }
        try {
            return new Outcome(ConfigJson.MAPPER.readTree(response.body()).path("revision").asText(null), null);
        } catch (Exception e) {
            return failure(e);
        }
    }

    private Outcome failure(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return cause instanceof HttpTimeoutException ? late()
                : new Outcome(null, cause.getClass().getSimpleName() + ": " + cause.getMessage());
    }

    /** The port the pod declares as {@code admin}, if any. */
    static Optional<Integer> adminPort(Pod pod) {
        return pod.getSpec() == null ? Optional.empty() : pod.getSpec().getContainers().stream()
                .flatMap(c -> c.getPorts() == null ? Stream.empty() : c.getPorts().stream())
                .filter(p -> "admin".equals(p.getName()) && p.getContainerPort() != null)
                .map(p -> p.getContainerPort())
                .findFirst();
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
