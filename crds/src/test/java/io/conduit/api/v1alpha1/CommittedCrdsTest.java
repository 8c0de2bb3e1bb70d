package io.conduit.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CRDs under {@code manifests/crds/} (what {@code kubectl apply -f manifests/} and the chart install) must be
 * exactly what the crd-generator makes of the API types at process-classes, and must keep the features the
 * design relies on.
 */
class CommittedCrdsTest {
    /** Relative to the module directory, where surefire runs. */
    private static final Path GENERATED = Path.of("target", "classes", "META-INF", "fabric8");
    private static final Path COMMITTED = Path.of("..", "manifests", "crds");
    private static final String REFRESH = """
            Refresh the committed copies from the repository root:
              ./conduit mvn -pl crds process-classes
              cp crds/target/classes/META-INF/fabric8/*-v1.yml manifests/crds/""";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static Stream<String> generatedFiles() {
        return names(GENERATED).stream();
    }

    @Test
    void generatesOneCrdPerKind() {
        assertThat(names(GENERATED)).containsExactlyInAnyOrder(
                "blobbackends.conduit.io-v1.yml", "queuebackends.conduit.io-v1.yml",
                "routerules.conduit.io-v1.yml", "edgegateways.conduit.io-v1.yml");
    }

    @Test
    void everyGeneratedCrdIsCommittedAndNothingElse() {
        Set<String> generated = names(GENERATED);
        Set<String> committed = names(COMMITTED);
        Set<String> missing = new TreeSet<>(generated);
        missing.removeAll(committed);
        Set<String> stale = new TreeSet<>(committed);
        stale.removeAll(generated);
        if (!missing.isEmpty() || !stale.isEmpty()) {
            fail("manifests/crds does not hold the generated CRDs"
                    + (missing.isEmpty() ? "" : "; missing: " + missing)
                    + (stale.isEmpty() ? "" : "; no longer generated (git rm them): " + stale)
                    + ".\n" + REFRESH);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("generatedFiles")
    void committedCopyMatchesTheGeneratedCrd(String file) {
        Path committed = COMMITTED.resolve(file);
        if (!Files.exists(committed)) {
            fail("manifests/crds/" + file + " is missing.\n" + REFRESH);
        }
        List<String> differences = new ArrayList<>();
        diff("", read(committed), read(GENERATED.resolve(file)), differences);
        if (!differences.isEmpty()) {
            fail("manifests/crds/" + file + " is out of date with the API types in crds/src/main; it differs at "
                    + differences.subList(0, Math.min(10, differences.size()))
                    + (differences.size() > 10 ? " and " + (differences.size() - 10) + " more" : "") + ".\n" + REFRESH);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("generatedFiles")
    void everyCrdHasTheStatusSubresourceAShortNameAndOneServedStoredVersion(String file) {
        JsonNode crd = read(GENERATED.resolve(file));
        JsonNode version = onlyVersion(crd);

        assertThat(version.path("name").asText()).isEqualTo(ConduitApi.VERSION);
        assertThat(version.path("served").asBoolean()).isTrue();
        assertThat(version.path("storage").asBoolean()).isTrue();
        assertThat(version.at("/subresources/status").isObject()).as("%s: status subresource", file).isTrue();
        assertThat(crd.at("/spec/names/shortNames")).as("%s: shortNames", file).isNotEmpty();
        assertThat(crd.at("/spec/names/categories")).extracting(JsonNode::asText).contains(ConduitApi.CATEGORY);
        assertThat(crd.at("/spec/scope").asText()).isEqualTo("Namespaced");
    }

    @Test
    void shortNamesAreTheDocumentedOnes() {
        assertThat(shortNames("blobbackends")).contains("bb");
        assertThat(shortNames("queuebackends")).contains("qb");
        assertThat(shortNames("routerules")).contains("rr");
        assertThat(shortNames("edgegateways")).contains("egw");
    }

    @Test
    void edgeGatewayHasTheScaleSubresourceSoKubectlScaleAndHpasWork() {
        JsonNode scale = onlyVersion(read(GENERATED.resolve("edgegateways.conduit.io-v1.yml"))).at("/subresources/scale");

        assertThat(scale.path("specReplicasPath").asText()).isEqualTo(".spec.replicas");
        assertThat(scale.path("statusReplicasPath").asText()).isEqualTo(".status.replicas");
        assertThat(scale.path("labelSelectorPath").asText()).isEqualTo(".status.selector");
    }

    @Test
    void routeRuleSendRequiresExactlyOneOfBlobAndQueue() {
        JsonNode send = onlyVersion(read(GENERATED.resolve("routerules.conduit.io-v1.yml")))
                .at("/schema/openAPIV3Schema/properties/spec/properties/send");

        assertThat(send.path("properties").has("blob")).isTrue();
        assertThat(send.path("properties").has("queue")).isTrue();
        assertThat(send.path("x-kubernetes-validations")).anySatisfy(v -> {
            assertThat(v.path("rule").asText()).isEqualTo("has(self.blob) != has(self.queue)");
            assertThat(v.path("message").asText()).isEqualTo("exactly one of send.blob and send.queue must be set");
        });
    }

    private static List<String> shortNames(String plural) {
        List<String> names = new ArrayList<>();
        read(GENERATED.resolve(plural + ".conduit.io-v1.yml")).at("/spec/names/shortNames").forEach(n -> names.add(n.asText()));
        return names;
    }

    private static JsonNode onlyVersion(JsonNode crd) {
        JsonNode versions = crd.at("/spec/versions");
        assertThat(versions).hasSize(1);
        return versions.get(0);
    }

    private static Set<String> names(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Set.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            Set<String> names = new TreeSet<>();
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("-v1.yml")).forEach(names::add);
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode read(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file.toAbsolutePath().normalize(), e);
        }
    }

    /** JSON pointers where {@code committed} and {@code generated} differ. */
    private static void diff(String at, JsonNode committed, JsonNode generated, List<String> out) {
        if (committed.isObject() && generated.isObject()) {
            Set<String> keys = new TreeSet<>();
            committed.fieldNames().forEachRemaining(keys::add);
            generated.fieldNames().forEachRemaining(keys::add);
            for (String key : keys) {
                String path = at + "/" + key;
                if (!committed.has(key)) {
                    out.add(path + " (only in generated)");
                } else if (!generated.has(key)) {
                    out.add(path + " (only in committed)");
                } else {
                    diff(path, committed.get(key), generated.get(key), out);
                }
            }
        } else if (committed.isArray() && generated.isArray() && committed.size() == generated.size()) {
            Iterator<JsonNode> c = committed.elements();
            Iterator<JsonNode> g = generated.elements();
            for (int i = 0; c.hasNext(); i++) {
                diff(at + "/" + i, c.next(), g.next(), out);
            }
        } else if (!committed.equals(generated)) {
            out.add(at.isEmpty() ? "/" : at);
        }
    }
}
