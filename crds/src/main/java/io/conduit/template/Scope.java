package io.conduit.template;

import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a template may reference where it stands: the roots and names that exist at that point of
 * the request, and the variables of the rule's path template.
 */
public record Scope(Set<Root> roots, Set<Name> names, Set<String> pathVariables, String ruleKind) {

    public Scope {
        roots = roots.isEmpty() ? EnumSet.noneOf(Root.class) : EnumSet.copyOf(roots);
        names = names.isEmpty() ? EnumSet.noneOf(Name.class) : EnumSet.copyOf(names);
        pathVariables = Set.copyOf(new TreeSet<>(pathVariables));
    }

    private static final Set<Name> TIME = EnumSet.of(Name.YEAR, Name.MONTH, Name.DAY, Name.HOUR, Name.MINUTE, Name.SECOND,
            Name.REQUEST_ID, Name.TENANT, Name.UUID);
    private static final Set<Root> REQUEST = EnumSet.of(Root.BODY, Root.HEADERS, Root.QUERY, Root.PATH, Root.REQUEST,
            Root.TENANT);

    /** Blob keys: decided before the bytes arrive, so no blobRef; the generated blobId and filename exist. */
    public static Scope blobKey(Set<String> pathVariables) {
        Set<Name> names = EnumSet.copyOf(TIME);
        names.addAll(EnumSet.of(Name.BLOB_ID, Name.FILENAME, Name.EXT));
        return new Scope(EnumSet.of(Root.HEADERS, Root.QUERY, Root.PATH, Root.REQUEST, Root.TENANT), names, pathVariables,
                "blob key");
    }

    /** Backend-level key templates know nothing of a particular rule. */
    public static Scope backendKey() {
        Set<Name> names = EnumSet.copyOf(TIME);
        names.addAll(EnumSet.of(Name.BLOB_ID, Name.FILENAME, Name.EXT));
        return new Scope(EnumSet.of(Root.REQUEST, Root.TENANT), names, Set.of(), "backend keyTemplate");
    }

    /** After a blob was stored: respond and onComplete of a blob rule. */
    public static Scope afterBlob(Set<String> pathVariables) {
        Set<Root> roots = EnumSet.copyOf(REQUEST);
        roots.addAll(EnumSet.of(Root.BLOB_REF, Root.BLOB_REFS));
        Set<Name> names = EnumSet.copyOf(TIME);
        names.add(Name.BLOB_ID);
        return new Scope(roots, names, pathVariables, "blob rule");
    }

    /** Before a message is queued: queue name, message, options. */
    public static Scope beforeQueue(Set<String> pathVariables) {
        return new Scope(REQUEST, TIME, pathVariables, "queue rule");
    }

    /** After a message was queued: respond and onComplete of a queue rule. */
    public static Scope afterQueue(Set<String> pathVariables) {
        Set<Root> roots = EnumSet.copyOf(REQUEST);
        roots.add(Root.QUEUE_REF);
        return new Scope(roots, TIME, pathVariables, "queue rule");
    }
}
