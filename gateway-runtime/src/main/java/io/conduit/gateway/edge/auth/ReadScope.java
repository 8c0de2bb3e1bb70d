package io.conduit.gateway.edge.auth;

import io.conduit.config.RouteConfig;
import io.conduit.gateway.routing.CompiledRoute;
import java.util.List;

/**
 * Who may read what the built-in endpoints serve. A tenant reads the blobs of a blob backend, and the
 * jobs of a queue backend, that a rule it may call writes to: its own rules, and the shared rules its
 * {@code rules} list holds (every shared rule without a list). So a tenant never reads a backend that
 * only other tenants' rules write; tenants that share a backend share its reads.
 */
public final class ReadScope {
    /** What a built-in endpoint reads. */
    public enum Kind { BLOB, JOB }

    private ReadScope() {
    }

    /** Refuses (403) a tenant whose callable rules write nothing to {@code backend}; anonymous callers passed auth already. */
    public static void check(AuthPolicy auth, List<CompiledRoute> routes, Caller caller, Kind kind, String backend) {
        if (caller.anonymous()) {
            return;
        }
        for (CompiledRoute route : routes) {
            if (route.servesTenant(caller.tenant()) && (route.config().tenant() != null || auth.mayCall(caller, route.id()))
                    && writes(route.config(), kind, backend)) {
                return;
            }
        }
        throw AuthRefused.forbidden("tenant " + caller.tenant() + " may not read "
                + (kind == Kind.BLOB ? "blobs" : "jobs") + " of " + backend + ": no rule it may call writes there");
    }

    private static boolean writes(RouteConfig rule, Kind kind, String backend) {
        return switch (kind) {
            case BLOB -> rule.blob() != null && backend.equals(rule.blob().backend());
            case JOB -> (rule.queue() != null && backend.equals(rule.queue().backend()))
                    || (rule.onComplete() != null && backend.equals(rule.onComplete().backend()));
        };
    }
}
