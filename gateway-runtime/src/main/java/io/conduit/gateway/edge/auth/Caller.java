package io.conduit.gateway.edge.auth;

/**
 * Who is calling: the tenant their token maps to and a short digest naming the token (for rate-limit
 * keys; never the token itself), or nobody when a public rule or exempt path is called without a token.
 */
public record Caller(String tenant, String tokenId) {
    public static final Caller ANONYMOUS = new Caller(null, null);

    public boolean anonymous() {
        return tenant == null;
    }

    @Override
    public String toString() {
        return anonymous() ? "anonymous" : "tenant " + tenant;
    }
}
