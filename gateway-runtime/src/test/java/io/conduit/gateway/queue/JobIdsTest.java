package io.conduit.gateway.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.conduit.gateway.errors.GatewayException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class JobIdsTest {
    @Test
    void theAddScriptRefusesExactlyTheNamesTheGatewayReserves() throws Exception {
        String script;
        try (InputStream in = JobIds.class.getResourceAsStream("redis/bullmq-add.lua")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String table = script.substring(script.indexOf("local reserved = {"), script.indexOf("}", script.indexOf("local reserved = {")));
        Matcher names = Pattern.compile("\\[\"([^\"]+)\"] = true").matcher(table);
        Set<String> inLua = names.results().map(m -> m.group(1)).collect(Collectors.toSet());
        assertThat(inLua).isEqualTo(JobIds.RESERVED);
    }

    @Test
    void reservedNamesAreRefusedInAnyCaseAndNamesThatMerelyContainThemAreNot() {
        for (String id : new String[] {"wait", "WAIT", "Meta", "stalled-check", "conduit"}) {
            assertThatThrownBy(() -> JobIds.requireSafe(id)).isInstanceOf(GatewayException.class)
                    .hasMessageContaining("reserved");
        }
        for (String id : new String[] {"wait-1", "order-meta", "ids", "waiting"}) {
            assertThat(JobIds.requireSafe(id)).isEqualTo(id);
        }
    }
}
