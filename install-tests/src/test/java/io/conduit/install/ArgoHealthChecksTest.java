package io.conduit.install;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * The Argo CD health checks in examples/gitops, run the way Argo CD's own resource_customizations are
 * tested: each kind's health_test.yaml lists sample objects with the status and message the check must
 * give, evaluated here by a real Lua interpreter (LuaJ; Argo CD runs gopher-lua, so the scripts keep to
 * Lua 5.1). The argocd-cm patch must carry exactly these scripts, and the Applications must fit the chart.
 */
class ArgoHealthChecksTest {
    static final Path HEALTH = Repository.GITOPS.resolve("health/conduit.io");
    static final Path PATCH = Repository.GITOPS.resolve("argocd-cm-patch.yaml");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    record Case(String kind, String input, String status, String message) {
        @Override
        public String toString() {
            return kind + " " + input + " -> " + status;
        }
    }

    static Stream<Case> cases() throws IOException {
        List<Case> cases = new ArrayList<>();
        for (Class<? extends HasMetadata> type : GeneratedCrds.KINDS) {
            String kind = HasMetadata.getKind(type);
            for (JsonNode test : YAML.readTree(HEALTH.resolve(kind).resolve("health_test.yaml").toFile()).path("tests")) {
                cases.add(new Case(kind, test.path("inputPath").asText(), test.at("/healthStatus/status").asText(),
                        test.at("/healthStatus/message").asText()));
            }
        }
        return cases.stream();
    }

    /** What Argo CD would report for this object: {status, message}. */
    static LuaValue health(String kind, JsonNode object) {
        Globals lua = JsePlatform.standardGlobals();
        lua.set("obj", toLua(object));
        String script = Repository.read(HEALTH.resolve(kind).resolve("health.lua"));
        return lua.load(script, kind + "/health.lua").call();
    }

    static LuaValue toLua(JsonNode node) {
        if (node.isObject()) {
            LuaTable table = new LuaTable();
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                var field = fields.next();
                if (!field.getValue().isNull()) {
                    table.set(field.getKey(), toLua(field.getValue()));
                }
            }
            return table;
        }
        if (node.isArray()) {
            LuaTable table = new LuaTable();
            for (int i = 0; i < node.size(); i++) {
                table.set(i + 1, toLua(node.get(i)));
            }
            return table;
        }
        if (node.isIntegralNumber()) {
            return LuaValue.valueOf(node.asLong());
        }
        if (node.isNumber()) {
            return LuaValue.valueOf(node.asDouble());
        }
        if (node.isBoolean()) {
            return LuaValue.valueOf(node.asBoolean());
        }
        return LuaValue.valueOf(node.asText());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theCheckGivesTheExpectedStatusAndMessage(Case test) throws IOException {
        JsonNode object = YAML.readTree(HEALTH.resolve(test.kind()).resolve(test.input()).toFile());
        assertThat(object.path("kind").asText()).isEqualTo(test.kind());

        LuaValue health = health(test.kind(), object);

        assertThat(health.get("status").tojstring()).isEqualTo(test.status());
        assertThat(health.get("message").tojstring()).isEqualTo(test.message());
    }

    @Test
    void everyKindHasAHealthyADegradedAndAProgressingSample() throws IOException {
        for (Class<? extends HasMetadata> type : GeneratedCrds.KINDS) {
            String kind = HasMetadata.getKind(type);
            assertThat(cases().filter(c -> c.kind().equals(kind)).map(Case::status))
                    .as(kind).contains("Healthy", "Degraded", "Progressing");
        }
    }

    static String argocdCmPatch() {
        StringBuilder patch = new StringBuilder("""
                # Generated from health/conduit.io/<Kind>/health.lua by install-tests (ArgoHealthChecksTest); edit those.
                # Apply: kubectl -n argocd patch configmap argocd-cm --patch-file examples/gitops/argocd-cm-patch.yaml
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: argocd-cm
                  namespace: argocd
                data:
                """);
        for (Class<? extends HasMetadata> type : GeneratedCrds.KINDS) {
            String kind = HasMetadata.getKind(type);
            patch.append("  resource.customizations.health.").append(HasMetadata.getGroup(type)).append('_').append(kind).append(": |\n");
            Repository.read(HEALTH.resolve(kind).resolve("health.lua")).lines()
                    .forEach(line -> patch.append(line.isEmpty() ? "" : "    " + line).append('\n'));
        }
        return patch.toString();
    }

    @Test
    void theArgocdCmPatchCarriesExactlyTheseChecksUnderArgoCdsKeys() {
        Repository.checkOrRefresh(PATCH, argocdCmPatch());

        ConfigMap patch = Serialization.unmarshal(Repository.read(PATCH), ConfigMap.class);
        assertThat(patch.getMetadata().getName()).isEqualTo("argocd-cm");
        assertThat(patch.getData()).hasSize(GeneratedCrds.KINDS.size());
        for (Class<? extends HasMetadata> type : GeneratedCrds.KINDS) {
            assertThat(patch.getData().get("resource.customizations.health.conduit.io_" + HasMetadata.getKind(type)))
                    .isEqualTo(Repository.read(HEALTH.resolve(HasMetadata.getKind(type)).resolve("health.lua")));
        }
    }

    static GenericKubernetesResource application(String file) {
        return Serialization.unmarshal(Repository.read(Repository.GITOPS.resolve("applications").resolve(file)),
                GenericKubernetesResource.class);
    }

    @Test
    void theChartApplicationInstallsWhatTheDocsAndManifestsNameWithValuesTheSchemaAccepts() {
        GenericKubernetesResource app = application("conduit.yaml");

        assertThat(app.getKind()).isEqualTo("Application");
        assertThat(Repository.ROOT.resolve(app.<String>get("spec", "source", "path")).normalize()).isEqualTo(Repository.CHART);
        assertThat(app.<String>get("spec", "destination", "namespace")).isEqualTo(Chart.NAMESPACE);
        assertThat(app.<String>get("spec", "source", "helm", "releaseName")).isEqualTo(Chart.RELEASE);
        Map<String, Object> values = app.get("spec", "source", "helm", "valuesObject");
        assertThat(Chart.render(values).objects()).isNotEmpty();
    }

    @Test
    void theAppApplicationSyncsAFolderOfConduitResourcesIntoItsDestinationNamespace() throws IOException {
        GenericKubernetesResource app = application("issue-tracker.yaml");
        Path source = Repository.ROOT.resolve(app.<String>get("spec", "source", "path"));
        String namespace = app.get("spec", "destination", "namespace");

        List<HasMetadata> objects = new ArrayList<>();
        try (Stream<Path> files = Files.list(source)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                for (String doc : Repository.read(file).split("(?m)^---\\s*$")) {
                    if (!doc.replaceAll("(?m)^\\s*#.*$", "").isBlank()) {
                        objects.add(Serialization.unmarshal(doc, GenericKubernetesResource.class));
                    }
                }
            }
        }
        assertThat(objects).extracting(HasMetadata::getKind).contains("BlobBackend", "QueueBackend", "RouteRule", "EdgeGateway");
        assertThat(objects).filteredOn(o -> !o.getKind().equals("Namespace"))
                .allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo(namespace));
    }
}
