package io.conduit.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KubeClusterTest {

    @Test
    void withoutTheEnvVarTheNextLocatorIsTried() {
        assertThat(KubeCluster.fromEnv(Env.of(Map.of()))).isInstanceOf(Attempt.Missed.class);
    }

    @Test
    void anEnvVarNamingNoFileIsMisconfigurationNotASkip() {
        Attempt attempt = KubeCluster.fromEnv(Env.of(Map.of(KubeCluster.ENV_VAR, "/nonexistent/kubeconfig")));

        assertThat(attempt).isInstanceOf(Attempt.Broken.class);
        assertThat(((Attempt.Broken) attempt).reason()).contains(KubeCluster.ENV_VAR).contains("/nonexistent/kubeconfig");
    }

    @Test
    void theCacheFolderIsTheBuildScriptsOwnInKubeApiTestsLayout() throws Exception {
        Path root = KubeBinaries.repoRoot().orElseThrow();
        String version = Files.readAllLines(root.resolve("tools/kube/versions.env")).stream()
                .filter(l -> l.startsWith("KUBE_VERSION=v")).findFirst().orElseThrow().substring("KUBE_VERSION=v".length());

        Path dir = KubeBinaries.cacheDir(root);

        assertThat(dir.getFileName()).hasToString(version + "-linux-amd64");
        assertThat(dir.getParent().getFileName()).hasToString("k8s");
        KubeBinaries binaries = KubeBinaries.of(dir);
        assertThat(binaries.version()).isEqualTo(version);
        assertThat(binaries.apiTestDir()).isEqualTo(dir.getParent().getParent());
    }
}
