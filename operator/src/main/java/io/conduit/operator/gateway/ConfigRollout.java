package io.conduit.operator.gateway;

import io.conduit.config.ConfigJson;
import io.conduit.config.GatewayConfig;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Brings a gateway's ready pods to the rendered config: pushes to every ready pod that has not acknowledged
 * the revision yet, all at once, and waits for each at most {@code perPod}. A pod that does not answer in
 * time counts as not synced and is asked again next round; it holds up neither the other pods nor, beyond
 * that one timeout, the reconciliation (and so the other gateways waiting for a reconciler thread).
 * Remembers per gateway which revision each pod acknowledged.
 */
final class ConfigRollout {
    private final ConfigPusher pusher;
    private final Map<ResourceID, PodRevisions> revisions = new ConcurrentHashMap<>();

    ConfigRollout() {
        this(ConfigPusher.TIMEOUT);
    }

    ConfigRollout(Duration perPod) {
        this.pusher = new ConfigPusher(perPod);
    }

    /**
     * One round: the pods that acknowledged {@code revision} in it, one line per pod that did not
     * ({@code pod: why}), and the revision each ready pod runs now (null when it acknowledged none).
     */
    record Round(String revision, List<String> pushed, List<String> failures, List<String> readyRevisions) {
        /** Ready pods that run the revision. */
        int updated() {
            return (int) readyRevisions.stream().filter(revision::equals).count();
        }
    }

    /** @param pods every pod of the gateway (pods gone are forgotten); {@code ready} those to push to */
    Round push(ResourceID gateway, List<Pod> pods, List<Pod> ready, GatewayConfig config, String token) {
        String revision = config.revision();
        PodRevisions acked = revisions.computeIfAbsent(gateway, id -> new PodRevisions());
        acked.retainOnly(PodRevisions.uids(pods));
        List<Pod> behind = ready.stream().filter(p -> !revision.equals(acked.of(p))).toList();
        Map<Pod, CompletableFuture<ConfigPusher.Outcome>> asked = new LinkedHashMap<>();
        if (!behind.isEmpty()) {
            String configJson = ConfigJson.write(config);
            behind.forEach(pod -> asked.put(pod, pusher.push(pod, configJson, token)));
        }
        List<String> pushed = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        asked.forEach((pod, answer) -> {
            ConfigPusher.Outcome outcome = answer.join();
            if (outcome.ok()) {
                acked.acknowledged(pod, outcome.revision());
                pushed.add(pod.getMetadata().getName());
            } else {
                failures.add(pod.getMetadata().getName() + ": " + outcome.error());
            }
        });
        return new Round(revision, pushed, failures, ready.stream().map(acked::of).toList());
    }
}
