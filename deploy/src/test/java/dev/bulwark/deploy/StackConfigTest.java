package dev.bulwark.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Replicas and per-service settings of a stack's configuration. */
class StackConfigTest {

    private static final StackConfig DEFAULTS = StackConfig.defaults(Path.of("/repo"), Path.of("/data"), Map.of());

    @Test
    void everyServiceRunsOnceUnlessReplicasAreAskedFor() {
        StackConfig two = DEFAULTS.withReplicas(BulwarkService.COMPLIANCE_SERVICE, 2);

        assertThat(DEFAULTS.replicas(BulwarkService.COMPLIANCE_SERVICE)).isEqualTo(1);
        assertThat(two.replicas(BulwarkService.COMPLIANCE_SERVICE)).isEqualTo(2);
        assertThat(two.replicas(BulwarkService.DEVICE_REGISTRY)).isEqualTo(1);
    }

    @Test
    void replicasListenOnTheServicesPortMovedByAHundredEachAndPickFreePortsWhereTheServiceDoes() {
        StackConfig fixed = DEFAULTS.withPorts(StackPorts.defaults().shiftedBy(300));
        StackConfig ephemeral = DEFAULTS.withPorts(StackPorts.ephemeral());

        assertThat(fixed.replicaPort(BulwarkService.COMPLIANCE_SERVICE, 1)).isEqualTo(8384);
        assertThat(fixed.replicaPort(BulwarkService.COMPLIANCE_SERVICE, 2)).isEqualTo(8484);
        assertThat(fixed.replicaPort(BulwarkService.DEVICE_REGISTRY, 3)).isEqualTo(8581);
        assertThat(ephemeral.replicaPort(BulwarkService.COMPLIANCE_SERVICE, 2)).isZero();
    }

    @Test
    void eachReplicaHasItsOwnLog() {
        assertThat(DEFAULTS.logFile(BulwarkService.DEVICE_REGISTRY, 1))
                .isEqualTo(Path.of("/data/logs/device-registry.log"));
        assertThat(DEFAULTS.logFile(BulwarkService.DEVICE_REGISTRY, 2))
                .isEqualTo(Path.of("/data/logs/device-registry-2.log"));
    }

    @Test
    void replicasAndSettingsAreOnlyForServicesTheStackRunsAndAtMostNine() {
        StackConfig registryOnly = DEFAULTS.withServices(EnumSet.of(BulwarkService.DEVICE_REGISTRY));

        assertThatThrownBy(() -> registryOnly.withReplicas(BulwarkService.COMPLIANCE_SERVICE, 2))
                .hasMessageContaining("which this stack does not run");
        assertThatThrownBy(() -> registryOnly.withEnvironment(BulwarkService.COMPLIANCE_SERVICE, Map.of("A", "1")))
                .hasMessageContaining("which this stack does not run");
        assertThatThrownBy(() -> DEFAULTS.withReplicas(BulwarkService.DEVICE_REGISTRY, 10))
                .hasMessageContaining("1..9");
        assertThatThrownBy(() -> DEFAULTS.withReplicas(BulwarkService.DEVICE_REGISTRY, 0))
                .hasMessageContaining("1..9");
    }

    @Test
    void choosingFewerServicesDropsTheReplicasAndSettingsOfTheOthers() {
        StackConfig chosen = DEFAULTS.withReplicas(BulwarkService.COMPLIANCE_SERVICE, 2)
                .withEnvironment(BulwarkService.COMPLIANCE_SERVICE, Map.of("A", "1"))
                .withReplicas(BulwarkService.DEVICE_REGISTRY, 2)
                .withServices(EnumSet.of(BulwarkService.DEVICE_REGISTRY));

        assertThat(chosen.replicas()).containsExactly(Map.entry(BulwarkService.DEVICE_REGISTRY, 2));
        assertThat(chosen.extraEnvironment(BulwarkService.COMPLIANCE_SERVICE)).isEmpty();
    }

    @Test
    void aStackUsesTheDevKeysUnlessKeycloakIsChosenAndKeepsKeycloakInItsDataFolder() {
        StackConfig keycloak = DEFAULTS.withIdentityProvider(IdentityProvider.KEYCLOAK)
                .withReplicas(BulwarkService.COMPLIANCE_SERVICE, 2)
                .withServices(EnumSet.of(BulwarkService.COMPLIANCE_SERVICE));

        assertThat(DEFAULTS.identityProvider()).isEqualTo(IdentityProvider.DEV_KEYS);
        assertThat(keycloak.identityProvider()).isEqualTo(IdentityProvider.KEYCLOAK);
        assertThat(keycloak.replicas(BulwarkService.COMPLIANCE_SERVICE)).isEqualTo(2);
        assertThat(keycloak.keycloakDir()).isEqualTo(Path.of("/data/keycloak"));
    }

    @Test
    void theSignOutBridgeRunsOnlyWhenTheStackRunsKeycloak() {
        assertThat(DEFAULTS.orderedServices())
                .contains(BulwarkService.GATEWAY)
                .doesNotContain(BulwarkService.SIGNOUT_BRIDGE);
        assertThat(DEFAULTS.withIdentityProvider(IdentityProvider.KEYCLOAK).orderedServices())
                .endsWith(BulwarkService.GATEWAY, BulwarkService.SIGNOUT_BRIDGE);
    }
}
