package io.conduit.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.ZonedDateTime;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The values of one request that templates read. Roots missing from {@code roots} read as null;
 * names missing from {@code names} read as empty text.
 *
 * <p>Roots are looked up when a template first reads them and kept from then on: most rules read
 * one or two of them, and building the others (every header as JSON, a parsed body) for each
 * request would cost more than the rule itself. A context belongs to one request and is read from
 * one thread.
 */
public final class Context {
    /** Produces the value of a root on first read; null when the request has none. */
    @FunctionalInterface
    public interface Roots {
        JsonNode get(Root root);
    }

    private final Roots roots;
    private final Map<Name, String> names;
    private final Supplier<ZonedDateTime> clock;
    private final Map<Root, JsonNode> read = new EnumMap<>(Root.class);
    private ZonedDateTime now;

    /** A context whose roots are all known up front. */
    public Context(Map<Root, JsonNode> roots, Map<Name, String> names, ZonedDateTime now) {
        this(copy(roots)::get, names, () -> now);
    }

    /** A context whose roots are produced as templates read them; {@code clock} is asked at most once. */
    public Context(Roots roots, Map<Name, String> names, Supplier<ZonedDateTime> clock) {
        this.roots = roots;
        this.names = names.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(names));
        this.clock = clock;
    }

    private static Map<Root, JsonNode> copy(Map<Root, JsonNode> roots) {
        return roots.isEmpty() ? Map.of() : new EnumMap<>(roots);
    }

    /** The root's value, or null when the request has none. */
    public JsonNode root(Root root) {
        JsonNode value = read.get(root);
        if (value == null && !read.containsKey(root)) {
            value = roots.get(root);
            read.put(root, value);
        }
        return value;
    }

    public Map<Name, String> names() {
        return names;
    }

    /** The request's time, for the date placeholders. */
    public ZonedDateTime now() {
        if (now == null) {
            now = clock.get();
        }
        return now;
    }
}
