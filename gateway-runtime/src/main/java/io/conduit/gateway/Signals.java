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
            sun.misc.SignalHandler before = sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> {
                LOG.info("SIGHUP: reloading config");
                action.run();
            });
            // A process started with SIGHUP ignored (nohup does that) keeps it ignored: the JVM declines to
            // take it over and answers the old disposition, so kill -HUP would do nothing without a word.
            if (before == sun.misc.SignalHandler.SIG_IGN) {
                LOG.warn("SIGHUP is ignored by this process (started under nohup?), so kill -HUP will not reload;"
                        + " saving a file in the config folder still reloads. To reload on SIGHUP, start the gateway"
                        + " without nohup (e.g. setsid, systemd, or & then disown)");
            }
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            LOG.warn("SIGHUP reload is not available ({}); file changes still reload", e.getMessage());
        }
    }
}
