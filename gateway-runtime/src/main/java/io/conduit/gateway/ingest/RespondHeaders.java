package io.conduit.gateway.ingest;

import io.conduit.gateway.errors.ErrorCode;
import io.conduit.gateway.errors.GatewayException;
import io.conduit.template.Context;
import io.conduit.template.RouteTemplates;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A rule's {@code respond.http.headers}, rendered and held to what a header value may be. Values come
 * from the request ($body, $headers, $query), so a line break could split the answer; such a value is a
 * 400 naming the header. Rules check them before anything is written (with what the request alone
 * knows), so a refused request leaves nothing behind for a retry to duplicate.
 */
final class RespondHeaders {
    private RespondHeaders() {
    }

    /** The rendered headers; throws a 400 naming the first header whose value holds a control character. */
    static Map<String, String> render(RouteTemplates templates, Context context) {
        if (templates.respondHeaders().isEmpty()) {
            return Map.of();
        }
        Map<String, String> rendered = new LinkedHashMap<>();
        templates.respondHeaders().forEach((name, template) -> {
            String value = template.render(context);
            if (!valid(value)) {
                throw new GatewayException(ErrorCode.BAD_REQUEST, "respond header " + name
                        + " would hold a line break or another control character taken from the request; nothing was stored");
            }
            rendered.put(name, value);
        });
        return rendered;
    }

    /** RFC 9110 field-value: visible characters, spaces and tabs; no CR, LF, NUL or other controls. */
    private static boolean valid(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                return false;
            }
        }
        return true;
    }
}
