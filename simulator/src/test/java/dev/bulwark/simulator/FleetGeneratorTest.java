package dev.bulwark.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.simulator.Fleet.AccountPlan;
import dev.bulwark.simulator.Fleet.AppPlan;
import dev.bulwark.simulator.Fleet.DevicePlan;
import java.util.List;
import org.junit.jupiter.api.Test;

class FleetGeneratorTest {

    private static SimulatorOptions options(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("--run-id", "t", "--devices", "6000", "--apps", "4000"));
        args.addAll(List.of(extra));
        return OptionsParser.parse(args);
    }

    @Test
    void theSameSeedGivesTheSameFleet() {
        assertThat(FleetGenerator.generate(options("--seed", "9")))
                .isEqualTo(FleetGenerator.generate(options("--seed", "9")));
    }

    @Test
    void anotherSeedGivesAnotherFleet() {
        assertThat(FleetGenerator.generate(options("--seed", "9")))
                .isNotEqualTo(FleetGenerator.generate(options("--seed", "10")));
    }

    @Test
    void sizesAndTenantsAreAsAsked() {
        Fleet fleet = FleetGenerator.generate(options("--tenants", "3"));

        assertThat(fleet.tenants())
                .extracting(Fleet.TenantPlan::tenantId)
                .containsExactly("sim-t-1", "sim-t-2", "sim-t-3");
        assertThat(fleet.deviceCount()).isEqualTo(6000);
        assertThat(fleet.appCount()).isEqualTo(4000);
        assertThat(fleet.tenants().get(0).devices()).hasSize(2000);
        fleet.tenants().forEach(t -> {
            assertThat(t.devices())
                    .allMatch(
                            d -> d.tenantId().equals(t.tenantId()) && t.users().contains(d.userId()));
            assertThat(t.apps()).allSatisfy(a -> assertThat(a.accounts())
                    .extracting(AccountPlan::userId)
                    .allMatch(t.users()::contains)
                    .doesNotHaveDuplicates());
        });
        assertThat(fleet.tenants().stream().flatMap(t -> t.devices().stream()).map(DevicePlan::hardwareId))
                .doesNotHaveDuplicates();
    }

    @Test
    void aFixedTenantIdReplacesTheGeneratedOne() {
        Fleet fleet = FleetGenerator.generate(options("--tenant", "demo"));

        assertThat(fleet.tenants()).extracting(Fleet.TenantPlan::tenantId).containsExactly("demo");
        assertThat(fleet.tenants().get(0).devices()).allMatch(d -> d.tenantId().equals("demo"));
    }

    @Test
    void sharesFollowTheOptions() {
        Fleet fleet = FleetGenerator.generate(options(
                "--non-compliant-share", "0.2", "--multi-account-share", "0.3", "--platform-mix", "android=75,ios=25"));
        List<DevicePlan> devices = fleet.tenants().get(0).devices();
        List<AppPlan> apps = fleet.tenants().get(0).apps();

        assertThat(devices.stream().filter(DevicePlan::nonCompliant).count()).isBetween(1050L, 1350L);
        assertThat(apps.stream().filter(a -> a.accounts().size() == 2).count()).isBetween(1050L, 1350L);
        assertThat(devices.stream()
                        .filter(d -> d.platform() == FleetPlatform.ANDROID)
                        .count())
                .isBetween(4300L, 4700L);
        assertThat(devices).noneMatch(d -> d.platform() == FleetPlatform.WINDOWS);
    }

    @Test
    void appsRunOnPhonesEvenWhenTheMixIsDesktopOnly() {
        Fleet fleet = FleetGenerator.generate(options("--platform-mix", "windows=1"));

        assertThat(fleet.tenants().get(0).devices()).allMatch(d -> d.platform() == FleetPlatform.WINDOWS);
        assertThat(fleet.tenants().get(0).apps()).allMatch(a -> a.platform().mobile());
    }

    @Test
    void nonCompliantDevicesReportAnOsBelowTheBaseline() {
        assertThat(FleetPlatform.ANDROID.outdatedOs(0)).isEqualTo("12");
        assertThat(FleetPlatform.ANDROID.outdatedOs(1)).isEqualTo("13");
        assertThat(Integer.parseInt(FleetPlatform.ANDROID.compliantOs(0))).isGreaterThanOrEqualTo(14);
    }

    @Test
    void theRemainderGoesToTheFirstTenants() {
        assertThat(List.of(
                        FleetGenerator.share(10, 3, 0), FleetGenerator.share(10, 3, 1), FleetGenerator.share(10, 3, 2)))
                .containsExactly(4, 3, 3);
    }

    @Test
    void theDirectoryFeedIsOneLicensedUserPerLine() throws Exception {
        Fleet fleet =
                FleetGenerator.generate(OptionsParser.parse(List.of("--run-id", "t", "--devices", "2", "--apps", "1")));
        String feed = TenantSetup.directoryFeed(fleet.tenants().get(0));
        String[] lines = feed.split("\n");

        assertThat(lines).hasSize(fleet.tenants().get(0).users().size());
        for (String line : lines) {
            var node = Rest.JSON.readTree(line);
            assertThat(node.path("type").asText()).isEqualTo("user");
            assertThat(node.path("licensed").asBoolean()).isTrue();
        }
    }
}
