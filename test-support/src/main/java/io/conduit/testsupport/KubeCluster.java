package io.conduit.testsupport;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A real Kubernetes API server for tests, found by the shared policy ({@link Resolver}): the kubeconfig named by
 * {@value #ENV_VAR} if set, else a {@link KubeControlPlane} of the binaries {@code tools/kube/build.sh} cached.
 * Get the shared one with {@link TestServers#kube()} or the {@link RealKubernetes} extension.
 *
 * <p>The cluster has no kubelet and no scheduler: tests that need running Pods mark them so themselves. A
 * cluster from {@value #ENV_VAR} must be of that kind too (e.g. one from {@code ./conduit kube start}).
 */
public final class KubeCluster implements TestServer {

    public static final String ENV_VAR = "CONDUIT_TEST_KUBECONFIG";
    static final String NAME = "kubernetes";
    static final String REMEDY = "build the binaries once with tools/kube/build.sh (needs Go 1.26 or newer; up to an hour or more on"
            + " 2 cores), or set " + ENV_VAR + " to the kubeconfig of a control plane without nodes, e.g. the one"
            + " `./conduit kube start` prints";

    private final Origin origin;
    private final Path kubeconfig;
    private final Path kubectl;
    private final KubeControlPlane ours;
    private final Config config;
    private KubernetesClient client;

    KubeCluster(Origin origin, Path kubeconfig, Path kubectl, KubeControlPlane ours) {
        this.origin = origin;
        this.kubeconfig = kubeconfig;
        this.kubectl = kubectl;
        this.ours = ours;
        try {
            this.config = Config.fromKubeconfig(Files.readString(kubeconfig));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + kubeconfig, e);
        }
        if (ours != null) {
            ShutdownCleanup.register(this);
        }
    }

    static Resolution<KubeCluster> locate(Env env) {
        return Resolver.resolve(NAME, REMEDY, env.ci(), List.of(() -> fromEnv(env), KubeCluster::fromBinaries))
                .map(KubeCluster.class::cast);
    }

    static Attempt fromEnv(Env env) {
        String file = env.get(ENV_VAR);
        if (file == null) {
            return new Attempt.Missed(ENV_VAR + " is not set");
        }
        Path path = Path.of(file);
        if (!Files.isReadable(path)) {
            return new Attempt.Broken(ENV_VAR + "=" + file + " names no readable file");
        }
        Optional<Path> kubectl = KubeBinaries.repoRoot().flatMap(KubeBinaries::cached).map(KubeBinaries::kubectl)
                .or(() -> Executables.find("kubectl", env));
        if (kubectl.isEmpty()) {
            return new Attempt.Broken(ENV_VAR + " is set but there is no kubectl (tools/kube/build.sh builds one)");
        }
        return new Attempt.Found(new KubeCluster(Origin.ENV_URL, path, kubectl.get(), null));
    }

    static Attempt fromBinaries() {
        Optional<Path> root = KubeBinaries.repoRoot();
        if (root.isEmpty()) {
            return new Attempt.Missed("no " + KubeBinaries.BUILD_SCRIPT + " at or above " + Path.of("").toAbsolutePath());
        }
        Optional<KubeBinaries> binaries = KubeBinaries.cached(root.get());
        if (binaries.isEmpty()) {
            return new Attempt.Missed("the Kubernetes binaries are not built yet (" + KubeBinaries.cacheDir(root.get()) + " is empty)");
        }
        try {
            KubeControlPlane plane = KubeControlPlane.start(binaries.get(), Files.createTempDirectory("conduit-kube-"));
            return new Attempt.Found(new KubeCluster(Origin.LOCAL_BINARY, plane.kubeconfig(), binaries.get().kubectl(), plane));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the kubeconfig's user may do: everything ({@code system:masters}) for clusters this JVM started. */
    public Path kubeconfig() {
        return kubeconfig;
    }

    /** A copy of the admin client configuration, e.g. to derive a client with another user's token. */
    public Config config() {
        return Config.fromKubeconfig(readKubeconfig());
    }

    /** The shared admin client; do not close it. */
    public synchronized KubernetesClient client() {
        if (client == null) {
            client = new KubernetesClientBuilder().withConfig(config()).build();
        }
        return client;
    }

    public Path kubectlPath() {
        return kubectl;
    }

    /** Runs {@code kubectl args...} against this cluster. */
    public KubectlResult kubectl(String... args) {
        return kubectlWithInput(null, args);
    }

    /** Runs {@code kubectl args...} with {@code stdin} as its input (e.g. {@code apply -f -}). */
    public KubectlResult kubectlWithInput(String stdin, String... args) {
        List<String> command = new ArrayList<>();
        command.add(kubectl.toString());
        command.add("--kubeconfig=" + kubeconfig);
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
            try (var in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("kubectl " + String.join(" ", args) + " did not finish within 2 minutes");
            }
            return new KubectlResult(process.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + kubectl, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running kubectl", e);
        }
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read: " + e.getMessage() + ")";
        }
    }

    private String readKubeconfig() {
        try {
            return Files.readString(kubeconfig);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + kubeconfig, e);
        }
    }

    /** The control plane this JVM started, if it did (empty for {@value #ENV_VAR}). */
    public Optional<KubeControlPlane> controlPlane() {
        return Optional.ofNullable(ours);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Origin origin() {
        return origin;
    }

    @Override
    public URI uri() {
        return URI.create(config.getMasterUrl());
    }

    @Override
    public String host() {
        return uri().getHost();
    }

    @Override
    public int port() {
        return uri().getPort();
    }

    @Override
    public boolean restartable() {
        return false;
    }

    @Override
    public boolean running() {
        return true;
    }

    @Override
    public void stop() {
        throw new UnsupportedOperationException("the shared Kubernetes control plane is not stopped by tests");
    }

    @Override
    public void start() {
        throw new UnsupportedOperationException("the shared Kubernetes control plane is not stopped by tests");
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
        }
        if (ours != null) {
            ours.close();
            ShutdownCleanup.unregister(this);
        }
    }

    /** What a kubectl run gave. */
    public record KubectlResult(int exitCode, String stdout, String stderr) {

        public boolean ok() {
            return exitCode == 0;
        }

        /** stdout, or a failure quoting stderr. */
        public String orThrow() {
            if (!ok()) {
                throw new AssertionError("kubectl failed (exit " + exitCode + "): " + stderr + stdout);
            }
            return stdout;
        }
    }
}
