package io.conduit.operator.gateway;

import io.conduit.config.BlobBackendConfig;
import io.conduit.config.GatewayConfig;
import io.conduit.config.QueueBackendConfig;
import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What makes a gateway pod meet the {@code restricted} Pod Security Standard: the image's non-root
 * user, seccomp {@code RuntimeDefault}, no privilege escalation, no capabilities and a read-only root
 * filesystem. The places the gateway writes get an emptyDir each: {@code /tmp} (JVM and Vert.x scratch),
 * the working directory {@value #WORK_DIR} (relative paths such as the default request record), and
 * every absolute directory the rendered config writes to (local blob and spool backends, the record file).
 */
final class GatewayPodSecurity {
    /** The gateway image's user and group (gateway-runtime/Dockerfile). */
    static final long GATEWAY_UID = 10001;
    static final String WORK_DIR = "/var/lib/conduit";
    static final String TMP_DIR = "/tmp";

    private GatewayPodSecurity() {
    }

    static PodSecurityContext pod() {
        return new PodSecurityContextBuilder()
                .withRunAsNonRoot(true).withRunAsUser(GATEWAY_UID).withRunAsGroup(GATEWAY_UID).withFsGroup(GATEWAY_UID)
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .build();
    }

    static SecurityContext container() {
        return new SecurityContextBuilder()
                .withAllowPrivilegeEscalation(false).withReadOnlyRootFilesystem(true).withPrivileged(false)
                .withCapabilities(new Capabilities(null, List.of("ALL")))
                .build();
    }

    /**
     * The EdgeGateway's own resources, else a floor that keeps the JVM schedulable and bounded: the
     * image sizes its heap to 75% of the memory limit.
     */
    static ResourceRequirements resources(ResourceRequirements fromSpec) {
        if (fromSpec != null) {
            return fromSpec;
        }
        return new ResourceRequirementsBuilder()
                .addToRequests("cpu", new Quantity("100m")).addToRequests("memory", new Quantity("256Mi"))
                .addToLimits("memory", new Quantity("512Mi"))
                .build();
    }

    /** One writable mount: the volume and where the container sees it. */
    record Writable(Volume volume, VolumeMount mount) {
    }

    static List<Writable> writable(GatewayConfig config) {
        List<Writable> mounts = new ArrayList<>();
        mounts.add(emptyDir("tmp", TMP_DIR));
        mounts.add(emptyDir("work", WORK_DIR));
        int n = 0;
        for (String dir : dataDirectories(config)) {
            mounts.add(emptyDir("data-" + n++, dir));
        }
        return mounts;
    }

    /**
     * Absolute directories the config writes to, outside the mounts every pod has; one under another
     * is left out, the outer mount covers it. Sorted, so a re-render never reorders the pod template.
     */
    static List<String> dataDirectories(GatewayConfig config) {
        Stream<String> blobs = config.blobBackends().stream().map(BlobBackendConfig::local).filter(Objects::nonNull)
                .map(BlobBackendConfig.Local::path);
        Stream<String> spools = config.queueBackends().stream().map(QueueBackendConfig::spool).filter(Objects::nonNull)
                .map(QueueBackendConfig.Spool::path);
        Path record = Path.of(config.edge().recording().path()).getParent();
        Stream<String> recordDir = record == null ? Stream.empty() : Stream.of(record.toString());
        TreeSet<Path> absolute = Stream.of(blobs, spools, recordDir).flatMap(s -> s)
                .filter(Objects::nonNull).map(p -> Path.of(p).normalize())
                .filter(Path::isAbsolute)
                .filter(p -> !p.startsWith(WORK_DIR) && !p.startsWith(TMP_DIR) && p.getNameCount() > 0)
                .collect(Collectors.toCollection(TreeSet::new));
        List<String> dirs = new ArrayList<>();
        for (Path p : absolute) {
            if (dirs.stream().noneMatch(d -> p.startsWith(d))) {
                dirs.add(p.toString());
            }
        }
        return dirs;
    }

    private static Writable emptyDir(String name, String path) {
        return new Writable(new VolumeBuilder().withName(name).withNewEmptyDir().endEmptyDir().build(),
                new VolumeMountBuilder().withName(name).withMountPath(path).build());
    }
}
