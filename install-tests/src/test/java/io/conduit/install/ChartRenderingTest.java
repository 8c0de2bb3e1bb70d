package io.conduit.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * One source of truth. The chart's CRDs are the generated ones, and manifests/ is the chart rendered with
 * its default values in namespace conduit-system (plus that namespace), so {@code kubectl apply -R -f manifests/}
 * and {@code helm install} create the same objects. With -Dconduit.refresh these files are rewritten instead.
 */
class ChartRenderingTest {
    private static final String HOW = "\nRefresh the generated files from the repository root:\n  " + Repository.REFRESH_COMMAND;

    /** Every file under manifests/ (but its README), as the chart renders it. */
    static Map<Path, String> renderedManifests() {
        Map<Path, String> files = new LinkedHashMap<>();
        files.put(Repository.MANIFESTS.resolve("00-namespace.yaml"), """
                # Rendered from helm/conduit by install-tests (ChartRenderingTest); edit the chart, not this file.
                # Helm users create it with --create-namespace.
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: %s
                  labels:
                    app.kubernetes.io/part-of: conduit
                """.formatted(Chart.NAMESPACE));
        Chart.render().documentsBySource().forEach((source, documents) -> {
            String file = source.substring(source.lastIndexOf('/') + 1);
            String header = "# Rendered from helm/conduit/" + source + " with default values by install-tests (ChartRenderingTest);\n"
                    + "# edit the chart, not this file.\n";
            files.put(Repository.MANIFESTS.resolve(file), header + String.join("---\n", documents.stream()
                    .map(d -> d.endsWith("\n") ? d : d + "\n").toList()));
        });
        GeneratedCrds.files().forEach((name, content) -> files.put(Repository.MANIFESTS.resolve("crds").resolve(name), content));
        // The same CRDs in one file: a non-recursive 'kubectl apply -f manifests/' reads it (and installs it first).
        StringBuilder flat = new StringBuilder("""
                # The four CRDs in one file, so that 'kubectl apply -f manifests/' (not recursive) installs them first.
                # Rendered from helm/conduit/crds/ by install-tests (ChartRenderingTest); edit the API types, not this file.
                """);
        flat.append(String.join("---\n", GeneratedCrds.files().values().stream()
                .map(content -> content.endsWith("\n") ? content : content + "\n").toList()));
        files.put(Repository.MANIFESTS.resolve("00-crds.yaml"), flat.toString());
        return files;
    }

    static Map<Path, String> chartCrds() {
        Map<Path, String> files = new LinkedHashMap<>();
        GeneratedCrds.files().forEach((name, content) -> files.put(Repository.CHART.resolve("crds").resolve(name), content));
        return files;
    }

    @Test
    void theChartShipsExactlyTheGeneratedCrds() {
        checkOrRefresh(Repository.CHART.resolve("crds"), chartCrds(), Path.of("none"));

        List<CustomResourceDefinition> shipped = new ArrayList<>();
        // helm show crds concatenates the files; each holds one CRD, so each top-level apiVersion starts one.
        for (String doc : new Helm(Repository.CHART).show().crds().call().split("(?m)^(?=apiVersion:)")) {
            if (doc.contains("kind:")) {
                shipped.add(Serialization.unmarshal(doc, CustomResourceDefinition.class));
            }
        }
        assertThat(shipped).extracting(c -> c.getMetadata().getName()).containsExactlyInAnyOrderElementsOf(
                GeneratedCrds.KINDS.stream().map(HasMetadata::getFullResourceName).toList());
    }

    @Test
    void manifestsAreTheChartRenderedWithDefaults() {
        checkOrRefresh(Repository.MANIFESTS, renderedManifests(), Repository.MANIFESTS.resolve("README.md"));
    }

    @Test
    void everyRenderedManifestParsesAndNamespacedOnesLiveInConduitSystem() {
        for (var entry : renderedManifests().entrySet()) {
            for (String doc : entry.getValue().split("(?m)^---\\s*$")) {
                HasMetadata object = Serialization.unmarshal(doc);
                boolean clusterScoped = object.getKind().startsWith("Cluster") || object.getKind().equals("Namespace")
                        || object.getKind().equals("CustomResourceDefinition");
                assertThat(object.getMetadata().getNamespace()).as("%s in %s", object.getKind(), entry.getKey())
                        .isEqualTo(clusterScoped ? null : Chart.NAMESPACE);
            }
        }
    }

    /** Compares {@code expected} with the files under {@code dir}, or writes them when refreshing. */
    static void checkOrRefresh(Path dir, Map<Path, String> expected, Path keep) {
        TreeSet<Path> stale = new TreeSet<>(filesUnder(dir));
        stale.removeAll(expected.keySet());
        stale.remove(keep);
        if (Repository.refreshing()) {
            expected.forEach(Repository::write);
            stale.forEach(ChartRenderingTest::delete);
            return;
        }
        List<String> problems = new ArrayList<>();
        expected.forEach((file, content) -> {
            if (!Files.exists(file)) {
                problems.add(Repository.relative(file) + " is missing");
            } else if (!Repository.read(file).equals(content)) {
                problems.add(Repository.relative(file) + " differs from what it is generated from");
            }
        });
        stale.forEach(file -> problems.add(Repository.relative(file) + " is not generated any more"));
        if (!problems.isEmpty()) {
            fail(String.join("\n", problems) + HOW);
        }
    }

    private static List<Path> filesUnder(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).map(p -> p.toAbsolutePath().normalize()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
