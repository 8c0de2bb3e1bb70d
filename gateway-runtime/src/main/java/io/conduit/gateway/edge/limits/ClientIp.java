package io.conduit.gateway.edge.limits;

import io.netty.util.NetUtil;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * The client's address: the peer's, or, when the peer is a trusted proxy, the nearest address in
 * {@code X-Forwarded-For} that is not itself a trusted proxy. Anyone can write the header, so it is
 * believed only from the proxies the gateway was told about.
 */
public final class ClientIp {
    private record Cidr(byte[] network, int bits) {
        boolean contains(byte[] address) {
            if (address == null || address.length != network.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private final List<Cidr> trusted = new ArrayList<>();

    public ClientIp(List<String> trustedProxies) {
        for (String entry : trustedProxies) {
            String[] parts = entry.split("/", 2);
            byte[] network = NetUtil.createByteArrayFromIpAddressString(parts[0]);
            if (network == null) {
                throw new IllegalArgumentException("trustedProxies: " + entry + " is not an IP address or CIDR");
            }
            int bits = parts.length == 2 ? Integer.parseInt(parts[1]) : network.length * 8;
            if (bits < 0 || bits > network.length * 8) {
                throw new IllegalArgumentException("trustedProxies: " + entry + " has a prefix length out of range");
            }
            trusted.add(new Cidr(network, bits));
        }
    }

    public String of(HttpServerRequest request) {
        String peer = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
        if (trusted.isEmpty() || !isTrusted(peer)) {
            return peer;
        }
        List<String> forwarded = new ArrayList<>();
        request.headers().getAll("X-Forwarded-For").forEach(h -> {
            for (String part : h.split(",")) {
                if (!part.isBlank()) {
                    forwarded.add(part.trim());
                }
            }
        });
        // Right to left: each trusted proxy appended the address it got the request from.
        for (int i = forwarded.size() - 1; i >= 0; i--) {
            String hop = forwarded.get(i);
            if (!isTrusted(hop)) {
                return NetUtil.isValidIpV4Address(hop) || NetUtil.isValidIpV6Address(hop) ? hop : peer;
            }
        }
        return forwarded.isEmpty() ? peer : forwarded.get(0);
    }

    private boolean isTrusted(String address) {
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(address);
        return bytes != null && trusted.stream().anyMatch(c -> c.contains(bytes));
    }
}
