package io.conduit.operator.kube;

import io.conduit.api.v1alpha1.EdgeGateway;
import io.conduit.operator.gateway.GatewayNames;
import io.conduit.testsupport.FreePort;
import io.conduit.testsupport.ManagedProcess;
import io.conduit.testsupport.Ports;
import io.conduit.testsupport.Processes;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stands in for the kubelet the control plane lacks: each gateway Pod the real controllers made gets a real
 * gateway process bound to a loopback address of its own (127.0.0.2, 127.0.0.3, ...), started from the Pod's
 * ConfigMap and Secrets as they are when it "starts", and is then marked Running and Ready with that address as
 * its podIP. Everything after that (pushes, revisions, status) is the operator and the gateway talking for real.
 */
final class Kubelet implements AutoCloseable {

    /** A pod brought up: its name, loopback address, traffic and admin ports and the gateway process. */
    record RunningPod(String name, String ip, int port, int adminPort, ManagedProcess gateway) {
    }

    private final KubernetesClient client;
    private final String namespace;
    private final Path dir;
    private final Map<String, RunningPod> running = new LinkedHashMap<>();
    private int nextAddress = 2;

    Kubelet(KubernetesClient client, String namespace, Path dir) {
        this.client = client;
        this.namespace = namespace;
        this.dir = dir;
    }

    /** Runs every pod of {@code gateway} not running yet; returns all the pods it runs for that gateway. */
    synchronized List<RunningPod> runPods(EdgeGateway gateway) {
        List<RunningPod> pods = new ArrayList<>();
        for (Pod pod : client.pods().inNamespace(namespace).withLabels(GatewayNames.selector(gateway)).list().getItems()) {
            if (pod.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            pods.add(running.computeIfAbsent(pod.getMetadata().getName(), name -> start(gateway, pod)));
        }
        return pods;
    }

    private RunningPod start(EdgeGateway gateway, Pod pod) {
        String name = pod.getMetadata().getName();
        int adminPort = adminPort(pod);
        // Another test run on this machine may hold an address's admin port: its gateway, not ours, would answer.
        String ip = "127.0.0." + nextAddress++;
        while (Ports.isOpen(ip, adminPort)) {
            ip = "127.0.0." + nextAddress++;
        }
        try {
            // Each pod's mounts in a folder of their own, as the kubelet projects them.
            Path mounts = Files.createDirectories(dir.resolve(name));
            ConfigMap config = client.configMaps().inNamespace(namespace).withName(GatewayNames.config(gateway)).get();
            Secret credentials = client.secrets().inNamespace(namespace).withName(GatewayNames.credentials(gateway)).get();
            Secret admin = client.secrets().inNamespace(namespace).withName(gateway.getMetadata().getName() + "-admin").get();
            Path configFile = Files.writeString(mounts.resolve(GatewayNames.CONFIG_KEY), config.getData().get(GatewayNames.CONFIG_KEY));
            Path credentialsFile = Files.write(mounts.resolve(GatewayNames.CREDENTIALS_KEY),
                    Base64.getDecoder().decode(credentials.getData().get(GatewayNames.CREDENTIALS_KEY)));
            String token = new String(Base64.getDecoder().decode(admin.getData().get("token")), StandardCharsets.UTF_8);
            int port = FreePort.find();
            ProcessBuilder pb = Processes.java("-jar", System.getProperty("conduit.gateway.jar"),
                    "--gateway-config", configFile.toString(), "--credentials", credentialsFile.toString(),
                    "--host", ip, "--port", String.valueOf(port), "--admin-host", ip, "--admin-port", String.valueOf(adminPort));
            pb.environment().put("CONDUIT_ADMIN_TOKEN", token);
            ManagedProcess process = Processes.start(pb, dir.resolve(name + ".log"));
            process.awaitPort(ip, port, Duration.ofSeconds(60));
            markRunning(pod, ip);
            return new RunningPod(name, ip, port, adminPort, process);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int adminPort(Pod pod) {
        return pod.getSpec().getContainers().getFirst().getPorts().stream().filter(p -> "admin".equals(p.getName()))
                .findFirst().orElseThrow().getContainerPort();
    }

    /** What the kubelet reports for a started, ready container; only status changes (nodeName may not). */
    private void markRunning(Pod pod, String ip) {
        String now = Instant.now().toString();
        List<PodCondition> conditions = new ArrayList<>();
        for (String type : List.of("PodScheduled", "Initialized", "ContainersReady", "Ready")) {
            conditions.add(new PodConditionBuilder().withType(type).withStatus("True").withLastTransitionTime(now).build());
        }
        client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).editStatus(p -> {
            p.getStatus().setPhase("Running");
            p.getStatus().setPodIP(ip);
            p.getStatus().setPodIPs(List.of(new PodIP(ip)));
            p.getStatus().setHostIP("127.0.0.1");
            p.getStatus().setStartTime(now);
            p.getStatus().setConditions(conditions);
            return p;
        });
    }

    /** Stops the gateways of pods that are gone (deleted by a scale-down or the garbage collector). */
    synchronized void forgetDeleted() {
        running.values().removeIf(pod -> {
            Pod live = client.pods().inNamespace(namespace).withName(pod.name()).get();
            if (live == null) {
                pod.gateway().close();
                return true;
            }
            return false;
        });
    }

    @Override
    public synchronized void close() {
        running.values().forEach(pod -> pod.gateway().close());
        running.clear();
    }
}
