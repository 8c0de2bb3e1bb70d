package io.conduit.gateway;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** SIGHUP reloads the config, as daemons traditionally do. Absent on platforms without it. */
final class Signals {
    private static final Logger LOG = LoggerFactory.getLogger(Signals.class);

    private Signals() {
    }

    @SuppressWarnings("restriction")
    static void onHangup(Runnable action) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> {
                LOG.info("SIGHUP: reloading config");
                action.run();
            });
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            LOG.warn("SIGHUP reload is not available ({}); file changes still reload", e.getMessage());
        }
    }
}
