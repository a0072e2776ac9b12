package dev.bulwark.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.simulator.SimulatorOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoRunTest {

    @TempDir
    Path dataDir;

    private SimulatorOptions options(boolean untilStopped) throws Exception {
        Files.writeString(
                dataDir.resolve("stack.properties"),
                "device-registry.url=http\\://127.0.0.1\\:8381\nassignment-service.url=http\\://127.0.0.1\\:8382\n"
                        + "policy-service.url=http\\://127.0.0.1\\:8383\ncompliance-service.url=http\\://127.0.0.1\\:8384\n"
                        + "kafka.bootstrap.servers=127.0.0.1\\:19392\n");
        return new DemoRun(dataDir, untilStopped).options();
    }

    @Test
    void theDemoFleetIsSmallSlowInTheDemoTenantAndPointedAtTheStacksDataFolder() throws Exception {
        SimulatorOptions o = options(true);

        assertThat(o.tenant()).contains("demo");
        assertThat(o.devices()).isEqualTo(20);
        assertThat(o.apps()).isEqualTo(20);
        assertThat(o.rate()).isEqualTo(2.0);
        assertThat(o.createPolicy()).isFalse(); // the seed makes the demo's own policies
        assertThat(o.registry()).hasToString("http://127.0.0.1:8381");
        assertThat(o.assignment()).hasToString("http://127.0.0.1:8382");
        assertThat(o.kafka()).isEqualTo("127.0.0.1:19392");
        assertThat(o.keysDir()).isEqualTo(dataDir.resolve("keys"));
        // Until Ctrl-C: a reporting phase nobody waits out.
        assertThat(o.duration()).isGreaterThanOrEqualTo(Duration.ofDays(1));
    }

    @Test
    void withExitWhenReadyTheFleetRunsTheDemosOwnDuration() throws Exception {
        assertThat(options(false).duration()).isEqualTo(Duration.ofSeconds(40));
    }

    @Test
    void theGuideSaysWhereToLookAllAtTheGatewaysOneAddress() {
        String guide = DemoRun.guide("http://127.0.0.1:8380", "ADMIN-TOKEN", "USER-TOKEN", " --data-dir /tmp/d", true);

        assertThat(guide)
                .contains("./bulwark events signout --data-dir /tmp/d")
                .contains("./bulwark events mdm-commands --data-dir /tmp/d")
                .contains("./bulwark events compliance --data-dir /tmp/d")
                .contains("http://127.0.0.1:8380/portal#token=USER-TOKEN")
                .contains("export ADMIN=ADMIN-TOKEN")
                .contains("http://127.0.0.1:8380/api/v1/devices")
                .contains("until Ctrl-C");
        assertThat(DemoRun.guide("g", "t", "u", "", false))
                .contains("for 40 s, then everything stops")
                .contains("./bulwark events signout        #");
    }
}
