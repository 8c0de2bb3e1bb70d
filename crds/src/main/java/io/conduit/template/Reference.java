package io.conduit.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** {@code $root.field.field}: one value read from the request, kept as JSON. */
public record Reference(Root root, List<String> fields) {
    private static final Pattern SYNTAX = Pattern.compile("\\$[A-Za-z]+(\\.[A-Za-z0-9_-]+)*");

    static boolean looksLikeReference(String text) {
        return SYNTAX.matcher(text).matches();
    }

    static Reference parse(String text, Scope scope, String where) {
        if (!looksLikeReference(text)) {
            throw new TemplateException(where + ": '" + text + "' is not a reference (write $root.field, e.g. $body.id)");
        }
        String[] parts = text.substring(1).split("\\.");
        Root root = Root.of(parts[0]).orElseThrow(() -> new TemplateException(
                where + ": unknown reference $" + parts[0] + " (known: $body, $headers, $query, $path, $request, $tenant, "
                        + "$blobRef, $blobRefs, $queueRef)"));
        if (!scope.roots().contains(root)) {
            throw new TemplateException(where + ": $" + root.token() + " is not available in a " + scope.ruleKind()
                    + " at this point" + hint(root));
        }
        List<String> fields = List.of(parts).subList(1, parts.length);
        if (!root.hasFields() && !fields.isEmpty()) {
            throw new TemplateException(where + ": $" + root.token() + " has no fields");
        }
        if (root == Root.PATH) {
            if (fields.size() > 1) {
                throw new TemplateException(where + ": write $path.<variable>, e.g. $path.id");
            }
            if (fields.size() == 1 && !scope.pathVariables().contains(fields.get(0))) {
                throw new TemplateException(where + ": $path." + fields.get(0) + " is not a variable of the rule's path"
                        + (scope.pathVariables().isEmpty() ? " (it has none)" : " (it has " + scope.pathVariables() + ")"));
            }
        }
        if (root == Root.HEADERS) {
            fields = fields.stream().map(f -> f.toLowerCase(Locale.ROOT)).toList();
        }
        return new Reference(root, fields);
    }

    private static String hint(Root root) {
        return switch (root) {
            case BLOB_REF, BLOB_REFS -> " ($blobRef exists only in respond and onComplete of a blob rule)";
            case QUEUE_REF -> " ($queueRef exists only in respond and onComplete of a queue rule)";
            default -> "";
        };
    }

    JsonNode read(Context context) {
        JsonNode node = context.root(root);
        for (String field : fields) {
            if (node == null || node.isNull() || node.isMissingNode()) {
                return NullNode.getInstance();
            }
            if (node.isArray()) {
                boolean index = !field.isEmpty() && field.length() <= 9 && field.chars().allMatch(Character::isDigit);
                node = index ? node.get(Integer.parseInt(field)) : null;
            } else {
                node = node.get(field);
            }
        }
        return node == null || node.isMissingNode() ? NullNode.getInstance() : node;
    }

    @Override
    public String toString() {
        return "$" + root.token() + (fields.isEmpty() ? "" : "." + String.join(".", fields));
    }
}
