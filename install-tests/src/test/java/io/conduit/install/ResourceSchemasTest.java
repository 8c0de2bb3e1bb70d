package io.conduit.install;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every Conduit object a user may copy (each document under examples/, each fenced yaml block of the
 * Markdown docs with apiVersion conduit.io/...) is a valid object of the generated CRDs: checked against their
 * OpenAPI schemas, with unknown fields refused (an API server would prune them silently, hiding the typo).
 * The CRDs' CEL rules (x-kubernetes-validations) are not evaluated here; they need an API server's
 * server-side dry run, which the real-API-server test tier will do.
 */
class ResourceSchemasTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern FENCED_YAML = Pattern.compile("(?ms)^```ya?ml\\s*\\n(.*?)^```");
    private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");
    private static final Pattern CONDUIT_OBJECT = Pattern.compile("(?m)^apiVersion: conduit\\.io/");
    private static final Map<String, Schema> SCHEMAS = schemas();

    /** One object as written somewhere in the repository. */
    record Source(String where, String yaml) {
        @Override
        public String toString() {
            return where;
        }
    }

    static Stream<Source> examples() throws IOException {
        List<Source> sources = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Repository.ROOT.resolve("examples"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList()) {
                String[] docs = DOCUMENT_SEPARATOR.split(Repository.read(file));
                for (int i = 0; i < docs.length; i++) {
                    if (CONDUIT_OBJECT.matcher(docs[i]).find()) {
                        sources.add(new Source(Repository.relative(file) + " (document " + (i + 1) + ")", docs[i]));
                    }
                }
            }
        }
        return sources.stream();
    }

    static Stream<Source> docs() throws IOException {
        List<Source> sources = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Repository.ROOT)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".md"))
                    .filter(f -> !Repository.relative(f).matches("(.*/)?(target|node_modules|\\.git)/.*")).sorted().toList()) {
                Matcher block = FENCED_YAML.matcher(Repository.read(file));
                int n = 0;
                while (block.find()) {
                    n++;
                    for (String doc : DOCUMENT_SEPARATOR.split(block.group(1))) {
                        if (CONDUIT_OBJECT.matcher(doc).find()) {
                            sources.add(new Source(Repository.relative(file) + " (yaml block " + n + ")", doc));
                        }
                    }
                }
            }
        }
        return sources.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void everyExampleObjectIsValid(Source source) {
        assertThat(problems(source.yaml())).as(source.where()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("docs")
    void everyObjectInTheDocsIsValid(Source source) {
        assertThat(problems(source.yaml())).as(source.where()).isEmpty();
    }

    @Test
    void theCheckRefusesWhatAnApiServerWould() {
        String rule = """
                apiVersion: conduit.io/v1alpha1
                kind: RouteRule
                metadata: {name: r}
                spec:
                  when: {http: {path: /jobs}}
                  send: {queue: {backendRef: %s, queue: q}}
                """;
        assertThat(problems(rule.formatted("{name: jobs}"))).isEmpty();
        assertThat(problems(rule.formatted("jobs"))).singleElement().asString().contains("/spec/send/queue/backendRef");
        assertThat(problems(rule.formatted("{name: jobs, nmae: x}"))).singleElement().asString().contains("nmae");
        assertThat(problems(rule.formatted("{}"))).singleElement().asString().contains("name");
    }

    /** What the schema says is wrong with one YAML document; empty when it is valid. */
    static List<String> problems(String yaml) {
        JsonNode object;
        try {
            object = YAML.readTree(yaml);
        } catch (IOException e) {
            return List.of("not YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        Schema schema = SCHEMAS.get(object.path("kind").asText());
        if (schema == null) {
            return List.of("no CRD for kind '" + object.path("kind").asText() + "'");
        }
        return schema.validate(object).stream().map(Error::toString).toList();
    }

    private static Map<String, Schema> schemas() {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
        Map<String, Schema> schemas = new HashMap<>();
        GeneratedCrds.KINDS.forEach(kind -> {
            String file = HasMetadata.getFullResourceName(kind) + "-v1.yml";
            try {
                JsonNode crd = YAML.readTree(GeneratedCrds.files().get(file));
                ObjectNode schema = (ObjectNode) crd.at("/spec/versions/0/schema/openAPIV3Schema").deepCopy();
                // The API server itself knows these; the CRD leaves them out.
                ObjectNode properties = schema.with("properties");
                properties.putObject("apiVersion").put("type", "string")
                        .put("const", kind.getAnnotation(io.fabric8.kubernetes.model.annotation.Group.class).value() + "/"
                                + kind.getAnnotation(io.fabric8.kubernetes.model.annotation.Version.class).value());
                properties.putObject("kind").put("type", "string");
                properties.putIfAbsent("metadata", YAML.createObjectNode().put("type", "object"));
                strict(schema);
                schemas.put(crd.at("/spec/names/kind").asText(),
                        registry.getSchema(SchemaLocation.of("https://conduit.io/schemas/" + file), schema));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return schemas;
    }

    /**
     * The structural schema with unknown fields refused wherever it lists properties, as {@code kubectl apply
     * --validate=strict} does; objects that keep unknown fields (templates, policies) stay open.
     */
    private static JsonNode strict(JsonNode node) {
        if (node instanceof ObjectNode object) {
            if (object.has("properties") && !object.path("x-kubernetes-preserve-unknown-fields").asBoolean()
                    && !object.has("additionalProperties")) {
                object.put("additionalProperties", false);
            }
            object.properties().forEach(e -> strict(e.getValue()));
        } else if (node.isArray()) {
            node.forEach(ResourceSchemasTest::strict);
        }
        return node;
    }
}
