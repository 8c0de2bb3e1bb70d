package io.conduit.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OperatorSettingsTest {
    @Test
    void watchListIsTheCommaSeparatedNamespacesTheChartSets() {
        OperatorSettings settings = OperatorSettings.from(Map.of(OperatorSettings.WATCH_NAMESPACES_ENV, " shop,issues ,,"));
        assertThat(settings.watchNamespaces()).isEqualTo(Set.of("shop", "issues"));
        assertThat(settings.watchesAllNamespaces()).isFalse();
    }

    @Test
    void unsetOrBlankWatchesEveryNamespace() {
        assertThat(OperatorSettings.from(Map.of()).watchesAllNamespaces()).isTrue();
        assertThat(OperatorSettings.from(Map.of(OperatorSettings.WATCH_NAMESPACES_ENV, " ")).watchesAllNamespaces()).isTrue();
    }

    @Test
    void gatewayImageDefaultsToTheReleasedOne() {
        assertThat(OperatorSettings.from(Map.of()).gatewayImage()).isEqualTo(OperatorSettings.DEFAULT_GATEWAY_IMAGE);
        assertThat(OperatorSettings.from(Map.of(OperatorSettings.GATEWAY_IMAGE_ENV, "r/g:1")).gatewayImage()).isEqualTo("r/g:1");
    }

    @Test
    void secretResyncIsAMinuteUnlessSetInSecondsOrIso8601() {
        assertThat(OperatorSettings.from(Map.of()).secretResync()).isEqualTo(java.time.Duration.ofMinutes(1));
        assertThat(OperatorSettings.from(Map.of(OperatorSettings.SECRET_RESYNC_ENV, "30")).secretResync())
                .isEqualTo(java.time.Duration.ofSeconds(30));
        assertThat(OperatorSettings.from(Map.of(OperatorSettings.SECRET_RESYNC_ENV, "PT2M")).secretResync())
                .isEqualTo(java.time.Duration.ofMinutes(2));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OperatorSettings.from(Map.of(OperatorSettings.SECRET_RESYNC_ENV, "soon")))
                .hasMessageContaining(OperatorSettings.SECRET_RESYNC_ENV);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OperatorSettings.from(Map.of(OperatorSettings.SECRET_RESYNC_ENV, "0")))
                .hasMessageContaining("positive");
    }
}
