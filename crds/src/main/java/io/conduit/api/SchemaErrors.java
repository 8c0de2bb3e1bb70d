package io.conduit.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.conduit.api.v1alpha1.EdgeGatewaySpec;
import io.conduit.api.v1alpha1.LocalObjectReference;
import io.conduit.api.v1alpha1.RouteRuleReference;
import io.conduit.api.v1alpha1.SecretRef;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * Turns a failure to read a document into the API types into one sentence about the field, such as
 * {@code spec.send.queue.backendRef: expected an object such as {name: jobs}}: a user fixes YAML, so the
 * message names the field and what to write there, never the parser's token names or Java classes.
 */
public final class SchemaErrors {
    private SchemaErrors() {
    }

    /**
     * @param e   what the mapper threw
     * @param doc the document that was read (to quote what was written), or null
     */
    public static String describe(JsonMappingException e, JsonNode doc) {
        if (e instanceof UnrecognizedPropertyException u) {
            String parent = path(e.getPath().subList(0, Math.max(0, e.getPath().size() - 1)));
            return (parent.isEmpty() ? "" : parent + ": ") + "unknown field '" + u.getPropertyName() + "'"
                    + renamed(u, doc == null ? null : doc.at(pointer(e)));
        }
        String field = path(e.getPath());
        String where = field.isEmpty() ? "the document" : field;
        JsonNode given = doc == null || field.isEmpty() ? null : doc.at(pointer(e));
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            return where + ": " + expected(m.getTargetType(), given);
        }
        Throwable cause = e.getCause();
        if (cause instanceof IllegalArgumentException && cause.getMessage() != null) {
            return where + ": " + cause.getMessage();
        }
        return where + ": " + (given == null || given.isMissingNode() ? "cannot be read" : "cannot be read from " + shape(given));
    }

    /** What a field of this type takes, said the way a user writes it, and what was written instead. */
    static String expected(Class<?> type, JsonNode given) {
        String instead = given == null || given.isMissingNode() ? "" : ", not " + shape(given);
        if (type == LocalObjectReference.class || type == SecretRef.class) {
            String name = given != null && given.isValueNode() && !given.asText().isBlank() ? given.asText() : "my-backend";
            return "expected an object such as {name: " + name + "}" + instead;
        }
        if (type == RouteRuleReference.class) {
            return "expected an object such as " + ruleRef(given) + instead;
        }
        if (type.isEnum()) {
            return "expected one of " + Arrays.stream(type.getEnumConstants()).map(c -> wireName((Enum<?>) c))
                    .collect(Collectors.joining(", ")) + instead;
        }
        if (type == String.class) {
            return "expected a string" + instead;
        }
        if (type == IntOrString.class) {
            return "expected a number or a template string" + instead;
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "expected a whole number" + instead;
        }
        if (Number.class.isAssignableFrom(type) || type == double.class) {
            return "expected a number" + instead;
        }
        if (type == Boolean.class || type == boolean.class) {
            return "expected true or false" + instead;
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "expected a list" + instead;
        }
        if (type.isRecord() || Map.class.isAssignableFrom(type)) {
            return "expected an object (a mapping of fields)" + instead;
        }
        return "expected a value of another type" + instead;
    }

    /** The string list {@code rules} of tenants and rate limits became {@code ruleRefs}: say so, in the user's names. */
    private static String renamed(UnrecognizedPropertyException u, JsonNode given) {
        Class<?> owner = u.getReferringClass();
        if (!"rules".equals(u.getPropertyName())
                || (owner != EdgeGatewaySpec.Tenant.class && owner != EdgeGatewaySpec.RateLimit.class)) {
            return "";
        }
        String example = given != null && given.isArray() && !given.isEmpty()
                ? StreamSupport.stream(given.spliterator(), false).map(SchemaErrors::ruleRef).collect(Collectors.joining(", "))
                : "{name: upload}";
        return "; RouteRules are named by ruleRefs, e.g. ruleRefs: [" + example + "]";
    }

    /** A RouteRule reference as written, from the old string form ("name" or "namespace/name") when given. */
    private static String ruleRef(JsonNode given) {
        String text = given != null && given.isValueNode() && !given.asText().isBlank() ? given.asText() : "upload";
        int slash = text.indexOf('/');
        return slash < 0 ? "{name: " + text + "}"
                : "{name: " + text.substring(slash + 1) + ", namespace: " + text.substring(0, slash) + "}";
    }

    private static String shape(JsonNode given) {
        if (given.isObject()) {
            return "an object";
        }
        if (given.isArray()) {
            return "a list";
        }
        if (given.isNull()) {
            return "null";
        }
        return "'" + given.asText() + "'";
    }

    private static String wireName(Enum<?> constant) {
        try {
            JsonProperty p = constant.getDeclaringClass().getField(constant.name()).getAnnotation(JsonProperty.class);
            return p != null && !p.value().isEmpty() ? p.value() : constant.name();
        } catch (NoSuchFieldException e) {
            return constant.name();
        }
    }

    /** The field's path as written in YAML: spec.send.queue.backendRef, spec.mirrorRefs[0]. */
    private static String path(List<JsonMappingException.Reference> refs) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference ref : refs) {
            if (ref.getFieldName() != null) {
                b.append(b.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                b.append('[').append(ref.getIndex()).append(']');
            }
        }
        return b.toString();
    }

    private static JsonPointer pointer(JsonMappingException e) {
        JsonPointer p = JsonPointer.empty();
        for (JsonMappingException.Reference ref : e.getPath()) {
            p = ref.getFieldName() != null ? p.appendProperty(ref.getFieldName()) : p.appendIndex(Math.max(ref.getIndex(), 0));
        }
        return p;
    }
}
