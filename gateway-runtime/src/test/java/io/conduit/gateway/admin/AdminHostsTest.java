package io.conduit.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AdminHostsTest {
    final AdminHosts hosts = new AdminHosts(List.of("gw.internal.example"));

    @Test
    void loopbackNamesAndAddressesWithOrWithoutPortAreOurs() {
        assertThat(hosts.allows("localhost")).isTrue();
        assertThat(hosts.allows("LOCALHOST:9901")).isTrue();
        assertThat(hosts.allows("127.0.0.1:9901")).isTrue();
        assertThat(hosts.allows("[::1]:9901")).isTrue();
        assertThat(hosts.allows("[::1]")).isTrue();
        assertThat(hosts.allows("[0:0:0:0:0:0:0:1]:9901")).as("another spelling of ::1").isTrue();
        assertThat(hosts.allows("localhost.")).isTrue();
        assertThat(hosts.allows("127.0.0.2:9901")).as("every loopback address, as a gateway bound to 127.0.0.2 is addressed").isTrue();
    }

    @Test
    void configuredNamesAreOursAndEveryOtherNameIsForeign() {
        assertThat(hosts.allows("gw.internal.example:9901")).isTrue();
        assertThat(hosts.allows("attacker.example")).isFalse();
        assertThat(hosts.allows("localhost.attacker.example")).isFalse();
        assertThat(hosts.allows("127.0.0.1.nip.io")).isFalse();
    }
}
