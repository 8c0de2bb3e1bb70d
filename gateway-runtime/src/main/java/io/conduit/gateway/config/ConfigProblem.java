package io.conduit.gateway.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.conduit.render.Problem;

/** A problem as /admin/config shows it: which file, which resource, why. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConfigProblem(String file, String resource, String reason, String message) {
    public static ConfigProblem of(Problem p, String file) {
        return new ConfigProblem(file, p.resource().toString(), p.reason(), p.message());
    }
}
