package io.conduit.config;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A rule's path: exact ({@code /upload}), template ({@code /orders/{id}}, one segment per variable)
 * or prefix ({@code /files/**}, the last segment only). Shared by the renderer (validation, conflicts)
 * and the gateway (matching), so both read a path the same way.
 */
public final class PathPattern {
    private static final Pattern VARIABLE = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private static final Pattern LITERAL = Pattern.compile("[A-Za-z0-9._~!$&'()*+,;=:@%-]+");

    /** Orders patterns most specific first: exact, then templates, then prefixes; more literal segments first. */
    public static final Comparator<PathPattern> MOST_SPECIFIC_FIRST = Comparator
            .comparingInt((PathPattern p) -> p.kindRank())
            .thenComparing(Comparator.comparingInt(PathPattern::literalSegments).reversed())
            .thenComparing(Comparator.comparingInt((PathPattern p) -> p.segments.size()).reversed());

    private sealed interface Segment permits Literal, Variable {
    }

    private record Literal(String text) implements Segment {
    }

    private record Variable(String name) implements Segment {
    }

    private final String source;
    private final List<Segment> segments;
    private final boolean prefix;

    private PathPattern(String source, List<Segment> segments, boolean prefix) {
        this.source = source;
        this.segments = List.copyOf(segments);
        this.prefix = prefix;
    }

    public static PathPattern parse(String path) {
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("path '" + path + "' must start with /");
        }
        String[] raw = path.equals("/") ? new String[0] : path.substring(1).split("/", -1);
        List<Segment> segments = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        boolean prefix = false;
        for (int i = 0; i < raw.length; i++) {
            String s = raw[i];
            boolean last = i == raw.length - 1;
            if (s.equals("**")) {
                if (!last) {
                    throw new IllegalArgumentException("path '" + path + "': ** may only be the last segment");
                }
                prefix = true;
            } else if (s.isEmpty()) {
                if (!last) {
                    throw new IllegalArgumentException("path '" + path + "' has an empty segment");
                }
                segments.add(new Literal(""));
            } else if (s.startsWith("{")) {
                var m = VARIABLE.matcher(s);
                if (!m.matches()) {
                    throw new IllegalArgumentException("path '" + path + "': segment '" + s
                            + "' must be a whole {variable} made of letters, digits and _");
                }
                if (!names.add(m.group(1))) {
                    throw new IllegalArgumentException("path '" + path + "': variable {" + m.group(1) + "} appears twice");
                }
                segments.add(new Variable(m.group(1)));
            } else if (LITERAL.matcher(s).matches() && !s.contains("{") && !s.contains("}")) {
                segments.add(new Literal(s));
            } else {
                throw new IllegalArgumentException("path '" + path + "': segment '" + s + "' has characters a path cannot hold");
            }
        }
        return new PathPattern(path, segments, prefix);
    }

    public Set<String> variables() {
        Set<String> names = new LinkedHashSet<>();
        segments.forEach(s -> {
            if (s instanceof Variable v) {
                names.add(v.name());
            }
        });
        return names;
    }

    public boolean isPrefix() {
        return prefix;
    }

    /** The shape with variable names erased: two patterns with the same shape match the same paths. */
    public String shape() {
        StringBuilder b = new StringBuilder();
        for (Segment s : segments) {
            b.append('/').append(s instanceof Literal l ? l.text() : "{}");
        }
        if (prefix) {
            b.append("/**");
        }
        return b.isEmpty() ? "/" : b.toString();
    }

    /** Variables bound by {@code requestPath}, or empty when it does not match. */
    public Optional<Map<String, String>> match(String requestPath) {
        String[] parts = requestPath.equals("/") ? new String[0] : requestPath.substring(1).split("/", -1);
        if (prefix ? parts.length < segments.size() : parts.length != segments.size()) {
            return Optional.empty();
        }
        Map<String, String> vars = new HashMap<>();
        for (int i = 0; i < segments.size(); i++) {
            switch (segments.get(i)) {
                case Literal l -> {
                    if (!l.text().equals(parts[i])) {
                        return Optional.empty();
                    }
                }
                case Variable v -> {
                    if (parts[i].isEmpty()) {
                        return Optional.empty();
                    }
                    Optional<String> value = decodeSegment(parts[i]);
                    if (value.isEmpty()) {
                        return Optional.empty();
                    }
                    vars.put(v.name(), value.get());
                }
            }
        }
        return Optional.of(vars);
    }

    /** Percent-decoding as paths use it ('+' is a plus, not a space); malformed escapes do not match. */
    private static Optional<String> decodeSegment(String segment) {
        if (segment.indexOf('%') < 0) {
            return Optional.of(segment);
        }
        try {
            return Optional.of(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
    }

    private int kindRank() {
        if (prefix) {
            return 2;
        }
        return variables().isEmpty() ? 0 : 1;
    }

    private int literalSegments() {
        return (int) segments.stream().filter(s -> s instanceof Literal).count();
    }

    @Override
    public String toString() {
        return source;
    }
}
