package io.conduit.operator.k3s;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import java.util.Optional;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * A real Kubernetes (k3s in a container) with the project's images loaded into it and
 * {@code manifests/} applied as {@code kubectl apply -f manifests/} would. Needs Docker; where there
 * is none, {@link #whyUnavailable()} says so and the tests skip (see operator/README.md: even under
 * CI=true, since the development machines of this project have no container engine at all).
 */
final class K3sCluster implements AutoCloseable {
    static final DockerImageName K3S = DockerImageName.parse("rancher/k3s:v1.31.4-k3s1");
    static final String OPERATOR_IMAGE = "conduit/operator:0.1.0-SNAPSHOT";
    static final String GATEWAY_IMAGE = "conduit/gateway:0.1.0-SNAPSHOT";
    static final Path ROOT = Path.of("..");

    final K3sContainer k3s;
    final KubernetesClient client;

    private K3sCluster(K3sContainer k3s) {
        this.k3s = k3s;
        this.client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(k3s.getKubeConfigYaml())).build();
    }

    /** Empty when Docker works here, else why the k3s tests cannot run. */
    static Optional<String> whyUnavailable() {
        boolean sign = System.getenv("DOCKER_HOST") != null || Files.exists(Path.of("/var/run/docker.sock"))
                || Files.exists(Path.of(System.getProperty("user.home"), ".testcontainers.properties"));
        if (!sign) {
            return Optional.of("k3s tests need a Docker engine and this machine has none (no DOCKER_HOST, no "
                    + "/var/run/docker.sock, no ~/.testcontainers.properties); the same flows run on Fabric8's mock API server "
                    + "in the *MockTest classes");
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable() ? Optional.empty()
                    : Optional.of("k3s tests need a Docker engine; Testcontainers found none that works");
        } catch (RuntimeException | LinkageError e) {
            return Optional.of("k3s tests need a Docker engine: " + e);
        }
    }

    /** Starts k3s, builds both images from their Dockerfiles and imports them into k3s's containerd. */
    static K3sCluster start() throws Exception {
        K3sContainer k3s = new K3sContainer(K3S);
        k3s.start();
        K3sCluster cluster = new K3sCluster(k3s);
        cluster.load(OPERATOR_IMAGE, "operator/Dockerfile", "operator/target/conduit-operator.jar");
        cluster.load(GATEWAY_IMAGE, "gateway-runtime/Dockerfile", "gateway-runtime/target/conduit-gateway.jar");
        return cluster;
    }

    private void load(String tag, String dockerfile, String jar) throws Exception {
        new ImageFromDockerfile(tag, false)
                .withFileFromPath(dockerfile, ROOT.resolve(dockerfile))
                .withFileFromPath(jar, ROOT.resolve(jar))
                .withDockerfilePath(dockerfile)
                .get();
        Path tar = Files.createTempFile("conduit-image", ".tar");
        try (InputStream image = DockerClientFactory.instance().client().saveImageCmd(tag).exec()) {
            Files.copy(image, tar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        k3s.copyFileToContainer(MountableFile.forHostPath(tar), "/tmp/image.tar");
        var result = k3s.execInContainer("ctr", "-n", "k8s.io", "images", "import", "/tmp/image.tar");
        if (result.getExitCode() != 0) {
            throw new IllegalStateException("importing " + tag + " into k3s failed: " + result.getStderr());
        }
        Files.deleteIfExists(tar);
    }

    /** {@code kubectl apply -f manifests/}: every top-level YAML file, in name order, not recursing. */
    void applyManifests() {
        try (var files = Files.list(ROOT.resolve("manifests"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                apply(Files.readString(file), null);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void apply(String yaml, String namespace) {
        for (String doc : yaml.split("(?m)^---$")) {
            if (doc.replaceAll("(?m)^#.*$", "").isBlank()) {
                continue;
            }
            HasMetadata resource = Serialization.unmarshal(doc);
            var op = namespace == null ? client.resource(resource) : client.resource(resource).inNamespace(namespace);
            op.createOr(r -> r.update());
        }
    }

    @Override
    public void close() {
        client.close();
        k3s.stop();
    }

}
