package io.conduit.gateway.blob.s3;

/** What the JVM-wide S3 part memory is doing, for tests outside this package that run the gateway in-process. */
public final class PartMemoryProbe {
    private PartMemoryProbe() {
    }

    /** Whether an upload is waiting for a part buffer right now. */
    public static boolean uploadsWaiting() {
        return PartMemory.SHARED.hasWaiters();
    }

    /** Bytes of part buffers handed out right now. */
    public static long reserved() {
        return PartMemory.SHARED.reserved();
    }
}
