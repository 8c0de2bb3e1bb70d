package io.conduit.gateway.blob.mirror;

/** What mirroring tells the outside (the metrics). */
public interface MirrorEvents {
    MirrorEvents NONE = new MirrorEvents() {
        @Override
        public void pending(String backend, int count) {
        }

        @Override
        public void copied(String backend, String mirror, boolean ok) {
        }
    };

    /** How many blobs of {@code backend} wait for a mirror copy now. */
    void pending(String backend, int count);

    /** One copy attempt ended. */
    void copied(String backend, String mirror, boolean ok);

    /** A copy the mirror refused for good was given up (logged); it is not retried. */
    default void setAside(String backend, String mirror) {
    }
}
