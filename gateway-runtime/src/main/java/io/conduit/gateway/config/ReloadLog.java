package io.conduit.gateway.config;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conduit.gateway.edge.logging.EventLog;
import io.conduit.gateway.edge.logging.Telemetry;
import java.util.function.Consumer;

/** Every config load and push as a metric and a JSON line ({@code type: reload}); the active revision as a gauge. */
public final class ReloadLog implements Consumer<ActiveConfig.Outcome> {
    private final Telemetry telemetry;

    public ReloadLog(Telemetry telemetry) {
        this.telemetry = telemetry;
    }

    @Override
    public void accept(ActiveConfig.Outcome outcome) {
        String kind = sourceKind(outcome.source());
        telemetry.metrics().configReload(outcome.result(), kind);
        telemetry.metrics().activeRevision(outcome.revision());
        ObjectNode line = EventLog.event("reload")
                .put("result", outcome.result())
                .put("source", outcome.source())
                .put("revision", outcome.revision());
        if (!outcome.problems().isEmpty()) {
            ArrayNode problems = line.putArray("problems");
            for (ConfigProblem p : outcome.problems()) {
                problems.addObject().put("file", p.file()).put("resource", p.resource()).put("message", p.message());
            }
        }
        telemetry.log().write(line);
    }

    /** {@code folder:/etc/x} becomes {@code folder}: a label, not a path. */
    static String sourceKind(String source) {
        if (source == null) {
            return "unknown";
        }
        int colon = source.indexOf(':');
        return colon < 0 ? source : source.substring(0, colon);
    }
}
