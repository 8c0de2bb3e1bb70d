package io.conduit.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.ZonedDateTime;
import java.util.Map;

/**
 * The values of one request that templates read. Roots missing from {@code roots} read as null;
 * names missing from {@code names} read as empty text.
 */
public record Context(Map<Root, JsonNode> roots, Map<Name, String> names, ZonedDateTime now) {
    public Context {
        roots = Map.copyOf(roots);
        names = Map.copyOf(names);
    }
}
