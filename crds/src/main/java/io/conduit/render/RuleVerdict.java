package io.conduit.render;

/**
 * How the renderer judged one attached rule: {@code accepted} (valid, no conflict) and
 * {@code resolvedRefs} (its backends exist and are usable). Served only when both hold.
 */
public record RuleVerdict(ResourceId rule, long generation, Check accepted, Check resolvedRefs) {

    public boolean served() {
        return accepted.ok() && resolvedRefs.ok();
    }

    /** One condition's worth: ok, and a reason and message when not. */
    public record Check(boolean ok, String reason, String message) {
        public static final Check OK = new Check(true, null, null);

        static Check failed(Problem problem) {
            return new Check(false, problem.reason(), problem.message());
        }
    }
}
