package io.conduit.operator.gateway;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Which config revision each gateway pod acknowledged, by pod UID. In memory: after an operator
 * restart every ready pod is simply pushed to once more, which is harmless (same revision, no-op).
 */
final class PodRevisions {
    private final Map<String, String> byPod = new ConcurrentHashMap<>();

    String of(Pod pod) {
        return byPod.get(pod.getMetadata().getUid());
    }

    void acknowledged(Pod pod, String revision) {
        byPod.put(pod.getMetadata().getUid(), revision);
    }

    /** Forgets pods that no longer exist. */
    void retainOnly(Set<String> podUids) {
        byPod.keySet().retainAll(podUids);
    }

    static Set<String> uids(Collection<Pod> pods) {
        return pods.stream().map(p -> p.getMetadata().getUid()).collect(Collectors.toSet());
    }
}
