package io.conduit.gateway.edge.limits;

import io.conduit.config.EdgeConfig;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What each tenant used in this replica: requests per second, request body bytes this UTC day and
 * uploads in flight, held to the tenant's quotas. It outlives reloads, so a new config does not reset
 * anyone's usage.
 */
public final class TenantUsage {
    private record Day(LocalDate date, long bytes) {
    }

    private final LocalBuckets buckets = new LocalBuckets();
    private final ConcurrentHashMap<String, Day> bytesToday = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicInteger> uploads = new ConcurrentHashMap<>();

    /** What was granted; {@link #finish} once the request ended. */
    public final class Ticket {
        private final String tenant;
        private final boolean upload;
        private boolean finished;

        private Ticket(String tenant, boolean upload) {
            this.tenant = tenant;
            this.upload = upload;
        }

        /** Counts the body bytes the request brought and frees its upload slot. */
        public synchronized void finish(long bodyBytes) {
            if (finished) {
                return;
            }
            finished = true;
            if (upload) {
                uploads.get(tenant).decrementAndGet();
            }
            if (bodyBytes > 0) {
                LocalDate today = LocalDate.now(ZoneOffset.UTC);
                bytesToday.merge(tenant, new Day(today, bodyBytes),
                        (old, add) -> old.date().equals(today) ? new Day(today, old.bytes() + add.bytes()) : add);
            }
        }
    }

    /**
     * Admits one request of a tenant or refuses it with 429: over its request rate, a declared body
     * that would pass its bytes for the day (or the day's bytes already spent), or too many uploads at once.
     */
    public Ticket admit(EdgeConfig.Tenant quota, long declaredLength, boolean upload) {
        String tenant = quota.name();
        if (quota.requestsPerSecond() != null) {
            Decision d = buckets.take(tenant, quota.requestsPerSecond(),
                    quota.burst() != null ? quota.burst() : quota.requestsPerSecond());
            if (!d.allowed()) {
                throw new RateLimitRefused("quota:requestsPerSecond", "tenant " + tenant + " is over its quota of "
                        + quota.requestsPerSecond() + " requests per second", (int) d.retryAfterSeconds());
            }
        }
        if (quota.bytesPerDay() != null) {
            Day day = bytesToday.get(tenant);
            long used = day == null || !day.date().equals(LocalDate.now(ZoneOffset.UTC)) ? 0 : day.bytes();
            if (used + Math.max(0, declaredLength) > quota.bytesPerDay() || used >= quota.bytesPerDay()) {
                throw new RateLimitRefused("quota:bytesPerDay", "tenant " + tenant + " is over its quota of "
                        + quota.bytesPerDay() + " bytes per day (UTC)", secondsToMidnight());
            }
        }
        if (upload && quota.maxConcurrentUploads() != null) {
            AtomicInteger inFlight = uploads.computeIfAbsent(tenant, t -> new AtomicInteger());
            if (inFlight.incrementAndGet() > quota.maxConcurrentUploads()) {
                inFlight.decrementAndGet();
                throw new RateLimitRefused("quota:maxConcurrentUploads", "tenant " + tenant + " already has "
                        + quota.maxConcurrentUploads() + " uploads in flight", 1);
            }
            return new Ticket(tenant, true);
        }
        return new Ticket(tenant, false);
    }

    /** A ticket that counts bytes only, for a tenant without an upload limit. */
    public Ticket untracked(String tenant) {
        return new Ticket(tenant, false);
    }

    private static int secondsToMidnight() {
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        return (int) Math.max(1, Duration.between(now, now.toLocalDate().plusDays(1).atStartOfDay(ZoneOffset.UTC)).toSeconds());
    }
}
