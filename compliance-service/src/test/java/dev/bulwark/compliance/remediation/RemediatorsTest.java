package dev.bulwark.compliance.remediation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.compliance.managed.ManagedDeviceEvaluator;
import dev.bulwark.compliance.managed.ManagedRemediator;
import dev.bulwark.compliance.rules.Violation;
import dev.bulwark.compliance.unmanaged.UnmanagedAppEvaluator;
import dev.bulwark.compliance.unmanaged.UnmanagedRemediator;
import dev.bulwark.contract.Envelope;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A remediation attempt's commands are dated by the decision's clock, not the machine's, and name the deadline. */
class RemediatorsTest {

    private static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");
    private static final Instant DUE = NOW.plusSeconds(3600);

    @Test
    void aManagedDeviceBelowTheMinimumOsIsAskedToUpdateAtTheDecisionsTime() {
        List<RemediationCommand> commands = new ManagedRemediator()
                .commands(
                        "t",
                        "device-1",
                        "alice",
                        List.of(new Violation(
                                ManagedDeviceEvaluator.MINIMUM_OS_VERSION, ">= 14", "12", "its OS is too old")),
                        DUE,
                        NOW);

        assertThat(commands).hasSize(1);
        assertThat(commands.get(0).action()).isEqualTo("REQUEST_OS_UPDATE");
        assertThat(Envelope.occurredAt(commands.get(0).command())).isEqualTo(NOW);
    }

    @Test
    void anUnmanagedAppWithoutAPinIsAskedToSetOneAtTheDecisionsTime() {
        List<RemediationCommand> commands = new UnmanagedRemediator("com.contoso.mail")
                .commands(
                        "t",
                        "reg-1",
                        "alice",
                        List.of(new Violation(UnmanagedAppEvaluator.PIN_REQUIRED, "true", "false", "no app PIN")),
                        DUE,
                        NOW);

        assertThat(commands).isNotEmpty();
        assertThat(commands).allSatisfy(command -> assertThat(Envelope.occurredAt(command.command()))
                .isEqualTo(NOW));
    }
}
