package io.conduit.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Text with {@code {placeholders}}: a name ({@code {yyyy}}, {@code {blobId}}) or a reference
 * ({@code {$path.id}}). {@code {{} and {@code }}} stand for literal braces. A text that is exactly one
 * reference ({@code $body.idempotencyKey}) is that reference's value, as in every other template field;
 * {@code $$x} is the literal text {@code $x}.
 */
public final class StringTemplate {
    private sealed interface Part permits Literal, NamePart, RefPart {
    }

    private record Literal(String text) implements Part {
    }

    private record NamePart(Name name) implements Part {
    }

    private record RefPart(Reference reference) implements Part {
    }

    private final String source;
    private final List<Part> parts;

    private StringTemplate(String source, List<Part> parts) {
        this.source = source;
        this.parts = List.copyOf(parts);
    }

    public static StringTemplate compile(String text, Scope scope, String where) {
        if (text.startsWith("$$")) {
            return new StringTemplate(text, List.of(new Literal(text.substring(1))));
        }
        if (text.startsWith("$")) {
            return new StringTemplate(text, List.of(new RefPart(Reference.parse(text, scope, where))));
        }
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '{' && i + 1 < text.length() && text.charAt(i + 1) == '{') {
                literal.append('{');
                i += 2;
            } else if (c == '}' && i + 1 < text.length() && text.charAt(i + 1) == '}') {
                literal.append('}');
                i += 2;
            } else if (c == '{') {
                int end = text.indexOf('}', i);
                if (end < 0) {
                    throw new TemplateException(where + ": unclosed '{' in \"" + text + "\" (write {{ for a literal brace)");
                }
                String token = text.substring(i + 1, end).trim();
                if (!literal.isEmpty()) {
                    parts.add(new Literal(literal.toString()));
                    literal.setLength(0);
                }
                parts.add(placeholder(token, text, scope, where));
                i = end + 1;
            } else if (c == '}') {
                throw new TemplateException(where + ": stray '}' in \"" + text + "\" (write }} for a literal brace)");
            } else {
                literal.append(c);
                i++;
            }
        }
        if (!literal.isEmpty()) {
            parts.add(new Literal(literal.toString()));
        }
        return new StringTemplate(text, parts);
    }

    private static Part placeholder(String token, String text, Scope scope, String where) {
        if (token.startsWith("$")) {
            return new RefPart(Reference.parse(token, scope, where));
        }
        Name name = Name.of(token).orElseThrow(() -> new TemplateException(where + ": unknown placeholder {" + token
                + "} in \"" + text + "\" (names: yyyy MM dd HH mm ss blobId requestId tenant uuid filename ext, or {$reference})"));
        if (!scope.names().contains(name)) {
            throw new TemplateException(where + ": {" + token + "} is not available in a " + scope.ruleKind() + " here");
        }
        return new NamePart(name);
    }

    /** The literal text around the placeholders, in order. */
    public List<String> literals() {
        return parts.stream().filter(p -> p instanceof Literal).map(p -> ((Literal) p).text()).toList();
    }

    /** Whether the rendered text starts with literal text (not a placeholder's value). */
    public boolean startsWithLiteral() {
        return !parts.isEmpty() && parts.get(0) instanceof Literal;
    }

    /** References used whole, without fields ({@code $headers}): their value is an object, never text. */
    public List<Reference> references() {
        return parts.stream().filter(p -> p instanceof RefPart).map(p -> ((RefPart) p).reference()).toList();
    }

    public boolean isConstant() {
        return parts.stream().allMatch(p -> p instanceof Literal);
    }

    public boolean uses(Name name) {
        return parts.stream().anyMatch(p -> p instanceof NamePart n && n.name() == name);
    }

    public String render(Context context) {
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            switch (part) {
                case Literal l -> out.append(l.text());
                case NamePart n -> out.append(nameValue(n.name(), context));
                case RefPart r -> out.append(asText(r.reference().read(context)));
            }
        }
        return out.toString();
    }

    private static String nameValue(Name name, Context context) {
        return switch (name) {
            case YEAR -> String.format(Locale.ROOT, "%04d", context.now().getYear());
            case MONTH -> String.format(Locale.ROOT, "%02d", context.now().getMonthValue());
            case DAY -> String.format(Locale.ROOT, "%02d", context.now().getDayOfMonth());
            case HOUR -> String.format(Locale.ROOT, "%02d", context.now().getHour());
            case MINUTE -> String.format(Locale.ROOT, "%02d", context.now().getMinute());
            case SECOND -> String.format(Locale.ROOT, "%02d", context.now().getSecond());
            case UUID -> context.names().getOrDefault(name, java.util.UUID.randomUUID().toString());
            default -> context.names().getOrDefault(name, "");
        };
    }

    static String asText(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return "";
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }

    @Override
    public String toString() {
        return source;
    }
}
