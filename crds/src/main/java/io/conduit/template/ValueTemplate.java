package io.conduit.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON value with templates inside: a string that is exactly a reference ({@code "$body.items"})
 * becomes that value with its type; other strings are interpolated; {@code "$$x"} is the literal
 * text {@code "$x"}; objects and arrays are templated member by member.
 */
public sealed interface ValueTemplate {

    JsonNode render(Context context);

    static ValueTemplate compile(JsonNode node, Scope scope, String where) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return new Constant(null);
        }
        if (node.isObject()) {
            Map<String, ValueTemplate> members = new LinkedHashMap<>();
            node.properties().forEach(e -> members.put(e.getKey(), compile(e.getValue(), scope, where + "." + e.getKey())));
            return new ObjectTemplate(members);
        }
        if (node.isArray()) {
            List<ValueTemplate> items = new ArrayList<>();
            for (int i = 0; i < node.size(); i++) {
                items.add(compile(node.get(i), scope, where + "[" + i + "]"));
            }
            return new ArrayTemplate(items);
        }
        if (node.isTextual()) {
            String text = node.textValue();
            if (text.startsWith("$$")) {
                return new Constant(TextNode.valueOf(text.substring(1)));
            }
            if (text.startsWith("$")) {
                return new ReferenceTemplate(Reference.parse(text, scope, where));
            }
            StringTemplate st = StringTemplate.compile(text, scope, where);
            return st.isConstant() ? new Constant(TextNode.valueOf(st.render(null))) : new Interpolated(st);
        }
        return new Constant(node.deepCopy());
    }

    record Constant(JsonNode value) implements ValueTemplate {
        @Override
        public JsonNode render(Context context) {
            return value == null ? JsonNodeFactory.instance.nullNode() : value;
        }
    }

    record ReferenceTemplate(Reference reference) implements ValueTemplate {
        @Override
        public JsonNode render(Context context) {
            return reference.read(context);
        }
    }

    record Interpolated(StringTemplate template) implements ValueTemplate {
        @Override
        public JsonNode render(Context context) {
            return TextNode.valueOf(template.render(context));
        }
    }

    record ObjectTemplate(Map<String, ValueTemplate> members) implements ValueTemplate {
        @Override
        public JsonNode render(Context context) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            members.forEach((k, v) -> out.set(k, v.render(context)));
            return out;
        }
    }

    record ArrayTemplate(List<ValueTemplate> items) implements ValueTemplate {
        @Override
        public JsonNode render(Context context) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            items.forEach(i -> out.add(i.render(context)));
            return out;
        }
    }
}
