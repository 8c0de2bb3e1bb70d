package io.conduit.testsupport;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A Kubernetes control plane of real binaries: etcd and kube-apiserver started by Fabric8's kube-api-test (offline,
 * from {@link KubeBinaries}; free ports, etcd data in a temp folder, RBAC on, a {@code system:masters} client
 * certificate in the kubeconfig), plus a kube-controller-manager running only the controllers the tests need.
 * There is no scheduler and no kubelet: Pods are created and stay Pending unless someone marks them running.
 */
public final class KubeControlPlane implements AutoCloseable {

    /**
     * Deployments become ReplicaSets and Pods, owners' deletion reaches what they own, and deleted namespaces empty.
     * ServiceAccount tokens come from the TokenRequest API (the API server signs them), so no token controller.
     */
    static final String CONTROLLERS = "deployment-controller,replicaset-controller,garbage-collector-controller,namespace-controller";

    private final KubeBinaries binaries;
    private final KubeAPIServer apiServer;
    private final Path workDir;
    private final Path kubeconfig;
    private final String kubeconfigYaml;
    private final ManagedProcess controllerManager;

    private KubeControlPlane(KubeBinaries binaries, KubeAPIServer apiServer, Path workDir, Path kubeconfig, String kubeconfigYaml,
                             ManagedProcess controllerManager) {
        this.binaries = binaries;
        this.apiServer = apiServer;
        this.workDir = workDir;
        this.kubeconfig = kubeconfig;
        this.kubeconfigYaml = kubeconfigYaml;
        this.controllerManager = controllerManager;
    }

    /** Starts all three; the kubeconfig and the controller-manager's log go to {@code workDir}. */
    public static KubeControlPlane start(KubeBinaries binaries, Path workDir) {
        KubeAPIServer apiServer = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
                .withTestDir(binaries.apiTestDir().toString())
                .withApiServerVersion(binaries.version())
                .withOfflineMode(true)
                // Never touch the user's ~/.kube/config; callers get their own kubeconfig file.
                .withUpdateKubeConfig(false)
                .withStartupTimeout(120_000)
                .build());
        apiServer.start();
        try {
            Files.createDirectories(workDir);
            Path kubeconfig = workDir.resolve("kubeconfig");
            String yaml = apiServer.getKubeConfigYaml();
            Files.writeString(kubeconfig, yaml);
            int port = FreePort.find();
            ManagedProcess kcm = Processes.start(new ProcessBuilder(List.of(
                    binaries.program("kube-controller-manager").toString(),
                    "--kubeconfig=" + kubeconfig,
                    "--authentication-kubeconfig=" + kubeconfig,
                    "--authorization-kubeconfig=" + kubeconfig,
                    "--leader-elect=false",
                    "--controllers=" + CONTROLLERS,
                    "--bind-address=127.0.0.1",
                    "--secure-port=" + port,
                    "--cert-dir=" + workDir.resolve("kcm-certs"))), workDir.resolve("kube-controller-manager.log"));
            kcm.awaitPort("127.0.0.1", port, Duration.ofSeconds(60));
            return new KubeControlPlane(binaries, apiServer, workDir, kubeconfig, yaml, kcm);
        } catch (IOException | RuntimeException e) {
            apiServer.stop();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    public KubeBinaries binaries() {
        return binaries;
    }

    /** A kubeconfig file whose user is in {@code system:masters}. */
    public Path kubeconfig() {
        return kubeconfig;
    }

    public String kubeconfigYaml() {
        return kubeconfigYaml;
    }

    public Path workDir() {
        return workDir;
    }

    @Override
    public void close() {
        try {
            controllerManager.close();
        } finally {
            apiServer.stop();
        }
    }
}
