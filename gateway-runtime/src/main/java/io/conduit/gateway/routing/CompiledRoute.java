package io.conduit.gateway.routing;

import io.conduit.api.v1alpha1.RouteRuleSpec;
import io.conduit.config.PathPattern;
import io.conduit.config.RouteConfig;
import io.conduit.template.RouteTemplates;
import io.vertx.core.MultiMap;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** A route ready to match: its config, parsed path, compiled header matchers and compiled templates. */
public record CompiledRoute(RouteConfig config, PathPattern path, List<HeaderMatcher> headers, RouteTemplates templates) {

    public static CompiledRoute compile(RouteConfig config) {
        List<HeaderMatcher> headers = config.match().headers().stream().map(HeaderMatcher::of).toList();
        return new CompiledRoute(config, PathPattern.parse(config.match().path()), headers, RouteTemplates.compile(config));
    }

    public boolean isBlob() {
        return config.blob() != null;
    }

    public boolean isWebSocket() {
        return config.match().ws() != null;
    }

    public String id() {
        return config.id();
    }

    /** Whether a caller of {@code tenant} (null: anonymous) sees this rule: shared rules, or the tenant's own. */
    public boolean servesTenant(String tenant) {
        return config.tenant() == null || config.tenant().equals(tenant);
    }

    boolean methodMatches(String method) {
        return config.match().method() == null || config.match().method().equals(method);
    }

    boolean contentTypeMatches(String contentType) {
        String wanted = config.match().contentType();
        if (wanted == null) {
            return true;
        }
        if (contentType == null) {
            return false;
        }
        String actual = baseType(contentType);
        if (wanted.endsWith("/*")) {
            return actual.startsWith(wanted.substring(0, wanted.length() - 1));
        }
        return actual.equals(wanted);
    }

    boolean headersMatch(MultiMap requestHeaders) {
        return headers.stream().allMatch(h -> h.matches(requestHeaders));
    }

    /** {@code multipart/form-data; boundary=x} becomes {@code multipart/form-data}. */
    public static String baseType(String contentType) {
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    /** One header condition of a rule. */
    public record HeaderMatcher(String name, RouteRuleSpec.HeaderMatchType type, String value, Pattern regex) {
        static HeaderMatcher of(RouteConfig.Header h) {
            RouteRuleSpec.HeaderMatchType type = h.type() == null ? RouteRuleSpec.HeaderMatchType.Exact : h.type();
            return new HeaderMatcher(h.name(), type, h.value(),
                    type == RouteRuleSpec.HeaderMatchType.RegularExpression ? Pattern.compile(h.value()) : null);
        }

        boolean matches(MultiMap requestHeaders) {
            List<String> values = requestHeaders.getAll(name);
            return switch (type) {
                case Present -> !values.isEmpty();
                case Exact -> values.contains(value);
                case RegularExpression -> values.stream().anyMatch(v -> regex.matcher(v).matches());
            };
        }
    }
}
