package io.conduit.operator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What an API server's structural schema check would refuse in an object, from a CRD's OpenAPI schema:
 * unknown fields, wrong types, missing required fields, patterns, enums and bounds. CEL rules are not
 * evaluated here; the objects this checks are built through the API types, which the CEL rules mirror.
 */
public final class CrdSchemaCheck {
    private CrdSchemaCheck() {
    }

    /** Problems of {@code object} (JSON) against {@code schema} (openAPIV3Schema), one line each; empty when valid. */
    public static List<String> problems(JsonNode schema, JsonNode object) {
        List<String> problems = new ArrayList<>();
        check(schema, object, "", problems);
        return problems;
    }

    private static void check(JsonNode schema, JsonNode value, String path, List<String> problems) {
        if (schema.path("x-kubernetes-int-or-string").asBoolean()) {
            if (!value.isIntegralNumber() && !value.isTextual()) {
                problems.add(path + ": expected an integer or a string");
            }
            return;
        }
        String type = schema.path("type").asText("");
        switch (type) {
            case "object" -> {
                if (!value.isObject()) {
                    problems.add(path + ": expected an object");
                    return;
                }
                for (JsonNode required : schema.path("required")) {
                    if (!value.has(required.asText())) {
                        problems.add(path + "." + required.asText() + ": required");
                    }
                }
                if (schema.path("x-kubernetes-preserve-unknown-fields").asBoolean()) {
                    return;
                }
                for (Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext(); ) {
                    var field = fields.next();
                    JsonNode property = schema.path("properties").get(field.getKey());
                    JsonNode additional = schema.get("additionalProperties");
                    if (property != null) {
                        check(property, field.getValue(), path + "." + field.getKey(), problems);
                    } else if (additional != null && additional.isObject()) {
                        check(additional, field.getValue(), path + "." + field.getKey(), problems);
                    } else if (!(path.isEmpty() && java.util.Set.of("apiVersion", "kind", "metadata").contains(field.getKey()))) {
                        problems.add(path + "." + field.getKey() + ": unknown field");
                    }
                }
            }
            case "array" -> {
                if (!value.isArray()) {
                    problems.add(path + ": expected an array");
                    return;
                }
                for (int i = 0; i < value.size(); i++) {
                    check(schema.path("items"), value.get(i), path + "[" + i + "]", problems);
                }
            }
            case "string" -> {
                if (!value.isTextual()) {
                    problems.add(path + ": expected a string");
                } else if (schema.has("pattern") && !java.util.regex.Pattern.compile(schema.get("pattern").asText()).matcher(value.asText()).find()) {
                    problems.add(path + ": does not match " + schema.get("pattern").asText());
                } else if (schema.has("enum") && !schema.get("enum").toString().contains("\"" + value.asText() + "\"")) {
                    problems.add(path + ": not one of " + schema.get("enum"));
                }
            }
            case "integer" -> {
                if (!value.isIntegralNumber()) {
                    problems.add(path + ": expected an integer");
                } else if (schema.has("minimum") && value.asLong() < schema.get("minimum").asLong()
                        || schema.has("maximum") && value.asLong() > schema.get("maximum").asLong()) {
                    problems.add(path + ": out of bounds");
                }
            }
            case "boolean" -> {
                if (!value.isBoolean()) {
                    problems.add(path + ": expected a boolean");
                }
            }
            default -> {
                // Untyped (preserve-unknown-fields JSON): anything goes.
            }
        }
    }
}
