package dev.bulwark.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StackPortsTest {

    @Test
    void defaultsKeepClearOfTheStandardKafkaAndPostgresPorts() {
        StackPorts ports = StackPorts.defaults();

        assertThat(ports.kafka()).isEqualTo(19092);
        assertThat(ports.postgres()).isEqualTo(15432);
        assertThat(ports.service(BulwarkService.DEVICE_REGISTRY)).isEqualTo(8081);
        assertThat(ports.service(BulwarkService.ASSIGNMENT_SERVICE)).isEqualTo(8082);
        assertThat(ports.service(BulwarkService.POLICY_SERVICE)).isEqualTo(8083);
        assertThat(ports.service(BulwarkService.COMPLIANCE_SERVICE)).isEqualTo(8084);
        assertThat(ports.keycloak()).isEqualTo(18080);
    }

    @Test
    void keycloaksPortMovesWithTheOffsetAndIsPickedFreeInEphemeralStacks() {
        assertThat(StackPorts.defaults().shiftedBy(300).keycloak()).isEqualTo(18380);
        assertThat(StackPorts.ephemeral().keycloak()).isZero();
        assertThat(new StackPorts(0, 0, Map.of()).keycloak()).isZero();
        assertThatThrownBy(() -> new StackPorts(1, 1, Map.of(), 70000)).hasMessageContaining("keycloak port");
    }

    @Test
    void anOffsetMovesEveryFixedPortButLeavesFreePicksAlone() {
        StackPorts moved = new StackPorts(19092, 0, Map.of(BulwarkService.POLICY_SERVICE, 0)).shiftedBy(1000);

        assertThat(moved.kafka()).isEqualTo(20092);
        assertThat(moved.postgres()).isZero();
        assertThat(moved.service(BulwarkService.DEVICE_REGISTRY)).isEqualTo(9081);
        assertThat(moved.service(BulwarkService.POLICY_SERVICE)).isZero();
    }

    @Test
    void ephemeralPortsAreAllPickedAtStart() {
        StackPorts ports = StackPorts.ephemeral();

        assertThat(ports.kafka()).isZero();
        assertThat(ports.postgres()).isZero();
        assertThat(ports.services().values()).containsOnly(0);
    }

    @Test
    void portsOutsideTheValidRangeAreRefused() {
        assertThatThrownBy(() -> new StackPorts(70000, 1, Map.of())).hasMessageContaining("kafka port");
        assertThatThrownBy(() -> StackPorts.defaults().shiftedBy(-9000)).hasMessageContaining("leaves 1..65535");
        assertThatThrownBy(() -> StackPorts.defaults().shiftedBy(60000)).hasMessageContaining("leaves 1..65535");
    }
}
