package io.conduit.install;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** docs/crd-reference.md, written from the generated CRDs' OpenAPI schemas: the reference cannot drift from the API. */
final class CrdReference {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private CrdReference() {
    }

    static String markdown() {
        StringBuilder out = new StringBuilder("""
                # CRD reference

                <!-- Generated from the CRDs in helm/conduit/crds by install-tests (CrdReferenceTest); edit the API
                     types in crds/src/main and refresh (see manifests/README.md), not this file. -->

                The four kinds of API group `conduit.io`, version `v1alpha1`, all namespaced. `kubectl get conduit`
                lists them all (category `conduit`). Every kind has `status.observedGeneration` and
                `status.conditions` in the Kubernetes conventions; [troubleshooting.md](troubleshooting.md) explains
                each condition reason, [operating.md](operating.md) how to read them.

                """);
        List<JsonNode> crds = new ArrayList<>();
        GeneratedCrds.files().values().forEach(text -> crds.add(read(text)));
        for (JsonNode crd : crds) {
            String kind = crd.at("/spec/names/kind").asText();
            out.append("- [").append(kind).append("](#").append(kind.toLowerCase()).append(")\n");
        }
        for (JsonNode crd : crds) {
            kind(crd, out);
        }
        return out.toString();
    }

    private static void kind(JsonNode crd, StringBuilder out) {
        JsonNode names = crd.at("/spec/names");
        JsonNode version = crd.at("/spec/versions/0");
        out.append("\n## ").append(names.path("kind").asText()).append("\n\n");
        out.append("`").append(crd.at("/spec/group").asText()).append('/').append(version.path("name").asText())
                .append("`, ").append(crd.at("/spec/scope").asText().toLowerCase()).append("; plural `")
                .append(names.path("plural").asText()).append("`, short names ").append(codes(names.path("shortNames")))
                .append(". Subresources: ").append(String.join(", ", fieldNames(version.path("subresources")).stream()
                        .map(s -> "`" + s + "`").toList())).append(".\n");
        JsonNode scale = version.at("/subresources/scale");
        if (!scale.isMissingNode()) {
            out.append("The scale subresource maps `").append(scale.path("specReplicasPath").asText()).append("`, `")
                    .append(scale.path("statusReplicasPath").asText()).append("` and `")
                    .append(scale.path("labelSelectorPath").asText()).append("`, so `kubectl scale` and a HorizontalPodAutoscaler work.\n");
        }
        out.append("\n`kubectl get` columns: ");
        List<String> columns = new ArrayList<>();
        List<JsonNode> sorted = new ArrayList<>();
        version.path("additionalPrinterColumns").forEach(sorted::add);
        sorted.sort((a, b) -> Integer.compare(a.path("priority").asInt(), b.path("priority").asInt()));
        for (JsonNode column : sorted) {
            columns.add("**" + column.path("name").asText() + "** (`" + column.path("jsonPath").asText() + "`"
                    + (column.path("priority").asInt() > 0 ? ", with `-o wide`" : "") + ")");
        }
        out.append(String.join(", ", columns)).append(".\n");

        JsonNode schema = version.at("/schema/openAPIV3Schema");
        List<String[]> rules = new ArrayList<>();
        for (String part : List.of("spec", "status")) {
            JsonNode node = schema.at("/properties/" + part);
            if (node.isMissingNode()) {
                continue;
            }
            out.append("\n### ").append(part).append("\n\n| field | type | description |\n|---|---|---|\n");
            fields(part, node, false, out, rules);
        }
        if (!rules.isEmpty()) {
            out.append("\nValidation rules the API server enforces (CEL):\n\n");
            for (String[] rule : rules) {
                out.append("- `").append(rule[0]).append("`: ").append(rule[1]).append(" (`").append(rule[2]).append("`)\n");
            }
        }
    }

    private static void fields(String path, JsonNode node, boolean required, StringBuilder out, List<String[]> rules) {
        validations(path, node, rules);
        if (!path.equals("spec") && !path.equals("status")) {
            out.append("| `").append(path).append("`").append(required ? " *(required)*" : "").append(" | ")
                    .append(type(node)).append(" | ").append(escape(node.path("description").asText(""))).append(constraints(node))
                    .append(" |\n");
        }
        // An array of objects documents its items' fields as path[].field.
        JsonNode object = node.has("properties") || !node.path("items").has("properties") ? node : node.path("items");
        String prefix = object == node ? path : path + "[]";
        if (object != node) {
            validations(prefix, object, rules);
        }
        Set<String> requiredFields = new TreeSet<>();
        object.path("required").forEach(r -> requiredFields.add(r.asText()));
        for (String name : fieldNames(object.path("properties"))) {
            fields(prefix + "." + name, object.path("properties").path(name), requiredFields.contains(name), out, rules);
        }
    }

    private static void validations(String path, JsonNode node, List<String[]> rules) {
        for (JsonNode rule : node.path("x-kubernetes-validations")) {
            rules.add(new String[] {path, rule.path("message").asText("invalid"), rule.path("rule").asText()});
        }
    }

    private static String type(JsonNode node) {
        if (node.path("x-kubernetes-int-or-string").asBoolean()) {
            return "integer or string";
        }
        String type = node.path("type").asText("");
        if (type.equals("array")) {
            return "[]" + type(node.path("items"));
        }
        if (type.equals("object") && node.has("additionalProperties")) {
            return "map of " + type(node.path("additionalProperties"));
        }
        if (type.equals("object") && node.path("x-kubernetes-preserve-unknown-fields").asBoolean() && !node.has("properties")) {
            return "object (any fields)";
        }
        return type.isEmpty() ? "any" : type;
    }

    private static String constraints(JsonNode node) {
        List<String> parts = new ArrayList<>();
        if (node.has("enum")) {
            parts.add("One of " + codes(node.path("enum")) + ".");
        }
        if (node.has("minimum")) {
            parts.add("Minimum " + node.path("minimum").asText() + ".");
        }
        if (node.has("maximum")) {
            parts.add("Maximum " + node.path("maximum").asText() + ".");
        }
        if (node.has("pattern")) {
            parts.add("Pattern `" + escape(node.path("pattern").asText()) + "`.");
        }
        if (node.has("default")) {
            parts.add("Default `" + node.path("default").toString() + "`.");
        }
        if (parts.isEmpty()) {
            return "";
        }
        return (node.path("description").asText("").isEmpty() ? "" : " ") + String.join(" ", parts);
    }

    private static String codes(JsonNode values) {
        List<String> out = new ArrayList<>();
        values.forEach(v -> out.add("`" + v.asText() + "`"));
        return String.join(", ", out);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            names.add(it.next().getKey());
        }
        return names;
    }

    private static String escape(String text) {
        return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;").replace("\n", " ").strip();
    }

    private static JsonNode read(String text) {
        try {
            return YAML.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
