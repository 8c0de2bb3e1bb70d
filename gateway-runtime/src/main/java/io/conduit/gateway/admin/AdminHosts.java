package io.conduit.gateway.admin;

import io.netty.util.NetUtil;
import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The Host names the admin port answers to: localhost, the loopback addresses, this machine's (the pod's)
 * own name and addresses, and names configured in {@code CONDUIT_ADMIN_HOSTS} (comma-separated). Any other
 * Host is a request meant for someone else, which is what a DNS-rebinding page in a browser sends.
 */
final class AdminHosts {
    private final Set<String> names = new HashSet<>(Set.of("localhost", "127.0.0.1", "::1"));

    AdminHosts(List<String> configured) {
        configured.stream().map(String::trim).filter(n -> !n.isEmpty()).map(n -> n.toLowerCase(Locale.ROOT)).forEach(names::add);
        try {
            InetAddress self = InetAddress.getLocalHost();
            names.add(self.getHostName().toLowerCase(Locale.ROOT));
            names.add(self.getCanonicalHostName().toLowerCase(Locale.ROOT));
        } catch (IOException unknown) {
            // No name of its own: loopback and its addresses still work.
        }
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    names.add(NetUtil.toAddressString(address));
                }
            }
        } catch (SocketException none) {
            // No interfaces to list: the names above remain.
        }
    }

    /** The configured extra names of {@code CONDUIT_ADMIN_HOSTS}. */
    static List<String> configured() {
        String env = System.getenv("CONDUIT_ADMIN_HOSTS");
        return env == null || env.isBlank() ? List.of() : List.of(env.split(","));
    }

    /** Whether a request with this Host header (a name or address, with or without port) is meant for us. */
    boolean allows(String hostHeader) {
        if (hostHeader == null) {
            return true; // HTTP/1.0 clients send none; browsers always do.
        }
        String host = hostHeader.trim().toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            host = end < 0 ? host : host.substring(1, end);
        } else if (host.indexOf(':') == host.lastIndexOf(':') && host.indexOf(':') >= 0) {
            host = host.substring(0, host.indexOf(':'));
        }
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        // An address is compared in one spelling (IPv6 has many: ::1, 0:0:0:0:0:0:0:1).
        InetAddress literal = NetUtil.createInetAddressFromIpAddressString(host);
        if (literal != null && literal.isLoopbackAddress()) {
            // Every loopback address is this machine (a gateway bound to 127.0.0.2 lists only 127.0.0.1 on lo);
            // a rebinding page sends its own name as Host, never a literal address.
            return true;
        }
        return names.contains(literal == null ? host : NetUtil.toAddressString(literal));
    }
}
