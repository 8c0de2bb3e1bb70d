package io.conduit.gateway.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.conduit.api.SchemaErrors;
import io.conduit.api.v1alpha1.BlobBackend;
import io.conduit.api.v1alpha1.ConduitApi;
import io.conduit.api.v1alpha1.EdgeGateway;
import io.conduit.api.v1alpha1.QueueBackend;
import io.conduit.api.v1alpha1.RouteRule;
import io.conduit.render.ResourceId;
import io.conduit.render.ResourceSet;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads resources from multi-document YAML: the same files a user would {@code kubectl apply}.
 * Conduit kinds and core Secrets are read; other kinds are skipped. Unknown fields are errors here
 * (an API server would silently drop them, and a typo would go unnoticed on a laptop).
 */
public final class ResourceFolder {
    private static final ObjectMapper YAML = YAMLMapper.builder(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** Resources read, the file each came from, and what could not be read. */
    public record Loaded(ResourceSet resources, Map<ResourceId, String> files, List<ConfigProblem> problems) {
    }

    private final List<BlobBackend> blobs = new ArrayList<>();
    private final List<QueueBackend> queues = new ArrayList<>();
    private final List<RouteRule> rules = new ArrayList<>();
    private final List<EdgeGateway> gateways = new ArrayList<>();
    private final List<Secret> secrets = new ArrayList<>();
    private final Map<ResourceId, String> files = new LinkedHashMap<>();
    private final List<ConfigProblem> problems = new ArrayList<>();

    private ResourceFolder() {
    }

    /** Every {@code *.yaml}, {@code *.yml} and {@code *.json} file directly in {@code dir}, in name order. */
    public static Loaded load(Path dir) throws IOException {
        ResourceFolder folder = new ResourceFolder();
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(ResourceFolder::isResourceFile).sorted().toList();
        }
        for (Path file : files) {
            try (InputStream in = Files.newInputStream(file)) {
                folder.read(in, file.getFileName().toString());
            }
        }
        return folder.done();
    }

    /** Named YAML documents, e.g. the embedded quickstart from the classpath. */
    public static Loaded load(Map<String, InputStream> documents) throws IOException {
        ResourceFolder folder = new ResourceFolder();
        for (var e : documents.entrySet()) {
            try (InputStream in = e.getValue()) {
                folder.read(in, e.getKey());
            }
        }
        return folder.done();
    }

    public static boolean isResourceFile(Path p) {
        String name = p.getFileName().toString();
        return Files.isRegularFile(p) && !name.startsWith(".")
                && (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json"));
    }

    private void read(InputStream in, String file) {
        List<JsonNode> docs = new ArrayList<>();
        try (JsonParser parser = YAML.getFactory().createParser(in);
             MappingIterator<JsonNode> it = YAML.readValues(parser, JsonNode.class)) {
            while (it.hasNextValue()) {
                docs.add(it.nextValue());
            }
        } catch (IOException e) {
            problems.add(new ConfigProblem(file, null, "Invalid", "not valid YAML: " + firstLine(e.getMessage())));
            return;
        }
        int index = 0;
        for (JsonNode doc : docs) {
            index++;
            if (doc == null || doc.isNull() || doc.isMissingNode() || doc.isEmpty()) {
                continue;
            }
            readDocument(doc, file, index);
        }
    }

    private void readDocument(JsonNode doc, String file, int index) {
        String kind = doc.path("kind").asText("");
        String apiVersion = doc.path("apiVersion").asText("");
        String where = file + " (document " + index + ")";
        Class<? extends HasMetadata> type = switch (kind) {
            case "BlobBackend" -> BlobBackend.class;
            case "QueueBackend" -> QueueBackend.class;
            case "RouteRule" -> RouteRule.class;
            case "EdgeGateway" -> EdgeGateway.class;
            case "Secret" -> Secret.class;
            default -> null;
        };
        if (type == null) {
            if (kind.isEmpty()) {
                problems.add(new ConfigProblem(where, null, "Invalid", "document has no kind"));
            }
            return;
        }
        String expected = type == Secret.class ? "v1" : ConduitApi.API_VERSION;
        if (!expected.equals(apiVersion)) {
            problems.add(new ConfigProblem(where, kind, "Invalid", "apiVersion of a " + kind + " must be " + expected
                    + ", not '" + apiVersion + "'"));
            return;
        }
        if (doc.path("metadata").path("name").asText("").isBlank()) {
            problems.add(new ConfigProblem(where, kind, "Invalid", "metadata.name is required"));
            return;
        }
        if (doc.path("metadata").path("namespace").asText("").isBlank() && doc.path("metadata").isObject()) {
            ((ObjectNode) doc.get("metadata")).put("namespace", "default");
        }
        if (doc.path("metadata").path("generation").isMissingNode()) {
            // A folder has no API server counting generations; 1 is what a first apply gets.
            ((ObjectNode) doc.get("metadata")).put("generation", 1);
        }
        HasMetadata resource;
        try {
            resource = YAML.treeToValue(doc, type);
        } catch (JsonMappingException e) {
            // Every schema error reads as a sentence about the field, e.g. "spec.send.queue.backendRef: expected an object
            // such as {name: jobs}", never as the parser's internals.
            problems.add(new ConfigProblem(where, kind + " " + doc.path("metadata").path("name").asText(), "Invalid",
                    SchemaErrors.describe(e, doc)));
            return;
        } catch (IOException e) {
            problems.add(new ConfigProblem(where, kind, "Invalid", firstLine(e.getMessage())));
            return;
        }
        ResourceId id = ResourceId.of(resource);
        String previous = files.putIfAbsent(id, file);
        if (previous != null) {
            problems.add(new ConfigProblem(where, id.toString(), "Invalid", "defined twice (also in " + previous + ")"));
            return;
        }
        switch (resource) {
            case BlobBackend b -> blobs.add(b);
            case QueueBackend q -> queues.add(q);
            case RouteRule r -> rules.add(r);
            case EdgeGateway g -> gateways.add(g);
            case Secret s -> secrets.add(s);
            default -> throw new IllegalStateException(kind);
        }
    }

    private Loaded done() {
        return new Loaded(new ResourceSet(blobs, queues, rules, gateways, secrets), new HashMap<>(files), List.copyOf(problems));
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
