package io.conduit.api.v1alpha1;

/** Names shared by the four kinds. */
public final class ConduitApi {
    public static final String GROUP = "conduit.io";
    public static final String VERSION = "v1alpha1";
    public static final String API_VERSION = GROUP + "/" + VERSION;
    public static final String CATEGORY = "conduit";

    private ConduitApi() {
    }
}
