package io.conduit.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.conduit.gateway.config.ResourceFolder;
import io.conduit.render.GatewayRenderer;
import io.conduit.render.RenderResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every folder of Conduit resources under examples/ reads and renders without a single problem, as users will apply it. */
class ExamplesTest {
    static final Path EXAMPLES = Path.of("..", "examples");
    /**
     * Argo CD configuration, not Conduit resources; install-tests checks it (ArgoHealthChecksTest). And provisioning,
     * which only the operator does (the identities it renders with exist only in a cluster); operator ProvisioningKubeIT covers the same set-up.
     */
    static final Set<String> NOT_RESOURCE_SETS = Set.of("gitops", "provisioning");

    static List<Path> examples() throws Exception {
        try (Stream<Path> dirs = Files.list(EXAMPLES)) {
            return dirs.filter(Files::isDirectory)
                    .filter(dir -> !NOT_RESOURCE_SETS.contains(dir.getFileName().toString()))
                    .sorted().toList();
        }
    }

    @ParameterizedTest
    @MethodSource("examples")
    void rendersCleanly(Path example) throws Exception {
        ResourceFolder.Loaded loaded = ResourceFolder.load(example);
        assertThat(loaded.problems()).as("reading %s", example).isEmpty();
        RenderResult result = new GatewayRenderer().renderStandalone(loaded.resources(), null);
        assertThat(result.problems()).as("rendering %s", example).isEmpty();
        assertThat(result.config().routes()).as("%s serves something", example).isNotEmpty();
    }
}
