package dev.bulwark.assignment.managed;

import static dev.bulwark.assignment.Fixtures.assignment;
import static dev.bulwark.assignment.Fixtures.target;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.bulwark.assignment.Fixtures;
import dev.bulwark.contract.Topics;
import dev.bulwark.events.AppInstallRequested;
import dev.bulwark.events.AppUninstallRequested;
import dev.bulwark.events.AppUpdateRequested;
import dev.bulwark.events.GroupKind;
import dev.bulwark.testsupport.BulwarkInfra;
import dev.bulwark.testsupport.TestTokens;
import dev.bulwark.testsupport.TopicProbe;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "assignment_service"))
class ManagedCommandsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final String tenant = "t-" + UUID.randomUUID();
    private final String admin = TestTokens.admin(tenant);
    private final Fixtures fx = new Fixtures(tenant, admin);

    @Test
    void requiredInstallsOnManagedDevicesOnlyAndUnmanagedDevicesNeverGetACommand() {
        fx.licence("alice", true);
        fx.licence("bob", true);
        fx.join(GroupKind.USER, "sales", "alice");
        fx.join(GroupKind.USER, "sales", "bob");
        fx.enroll("dev-alice", "alice");
        fx.registerUnmanaged("reg-bob", "bob", "crm");
        fx.awaitSubject("dev-alice");
        fx.awaitSubject("reg-bob");
        fx.registerApp("crm");
        try (TopicProbe probe = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.MDM_COMMANDS)) {
            fx.assign("crm", "REQUIRED", target("USER_GROUP", "sales", false));
            fx.assign("crm", "UNINSTALL", target("ALL_LICENSED_USERS", null, false));
            TopicProbe.ReceivedEvent install = probe.awaitReceived(
                    AppInstallRequested.class, e -> e.getDeviceId().equals("dev-alice"), WAIT);
            assertThat(install.key()).isEqualTo("dev-alice");
            AppInstallRequested command = install.event(AppInstallRequested.class);
            assertThat(command.getAppId()).isEqualTo("crm");
            assertThat(command.getVersion()).isEqualTo("1.0.0");
            assertThat(command.getUserId()).isEqualTo("alice");
            assertThat(command.getTenantId()).isEqualTo(tenant);
            // Unmanaged devices never get any of these: not bob's app instance, not anything of bob's.
            for (Class<? extends SpecificRecord> type : java.util.List.of(
                    AppInstallRequested.class, AppUninstallRequested.class, AppUpdateRequested.class)) {
                probe.assertNone(type, e -> mentions(e, "bob") || mentions(e, "reg-bob"), Duration.ofSeconds(2));
            }
        }
        given().auth()
                .oauth2(admin)
                .get("/api/v1/devices/dev-alice/apps")
                .then()
                .body("managementType", equalTo("MANAGED"))
                .body("apps[0].intents", contains("REQUIRED"))
                .body("apps[0].installState", equalTo("INSTALL_PENDING"));
        // On the unmanaged app instance neither Required nor Uninstall is effective
        given().auth()
                .oauth2(admin)
                .get("/api/v1/devices/reg-bob/apps")
                .then()
                .body("managementType", equalTo("UNMANAGED"))
                .body("apps", hasSize(0));
        fx.registerApp("wiki");
        fx.assign("wiki", "AVAILABLE", target("USER_GROUP", "sales", false));
        given().auth()
                .oauth2(admin)
                .get("/api/v1/devices/reg-bob/apps")
                .then()
                .body("apps.appId", contains("wiki"))
                .body("apps[0].intents", contains("AVAILABLE"))
                .body("apps[0].installState", equalTo(null));
    }

    @Test
    void anAppIsOnlyEverPushedToDevicesOfItsPlatform() {
        fx.licence("erin", true);
        fx.enroll("dev-erin-android", "erin");
        fx.enroll("dev-erin-iphone", "erin", dev.bulwark.events.Platform.IOS);
        fx.awaitSubject("dev-erin-android");
        fx.awaitSubject("dev-erin-iphone");
        fx.registerApp("mail"); // an Android app
        try (TopicProbe probe = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.MDM_COMMANDS)) {
            fx.assign("mail", "REQUIRED", target("ALL_DEVICES", null, false));
            probe.await(AppInstallRequested.class, e -> e.getDeviceId().equals("dev-erin-android"), WAIT);
            probe.assertNone(
                    AppInstallRequested.class, e -> e.getDeviceId().equals("dev-erin-iphone"), Duration.ofSeconds(2));
        }
        given().auth()
                .oauth2(admin)
                .get("/api/v1/devices/dev-erin-iphone/apps")
                .then()
                .statusCode(200)
                .body("apps", hasSize(0));
    }

    private static boolean mentions(SpecificRecord event, String id) {
        return id.equals(String.valueOf(
                        event.get(event.getSchema().getField("deviceId").pos())))
                || id.equals(String.valueOf(
                        event.get(event.getSchema().getField("userId").pos())));
    }

    @Test
    void uninstallRemovesOnlyWhatThisServiceInstalledAndANewVersionIsPushedAsAnUpdate() {
        fx.enroll("dev-1", "carol");
        fx.awaitSubject("dev-1");
        fx.registerApp("vpn");
        fx.registerApp("game");
        try (TopicProbe probe = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.MDM_COMMANDS)) {
            String vpn = fx.assign("vpn", "REQUIRED", target("ALL_DEVICES", null, false));
            probe.await(AppInstallRequested.class, e -> e.getDeviceId().equals("dev-1"), WAIT);
            // the device installs vpn; carol installed game herself
            fx.report("dev-1", "carol", Map.of("vpn", "1.0.0", "game", "2.0"));
            Awaitility.await().atMost(WAIT).untilAsserted(() -> given().auth()
                    .oauth2(admin)
                    .get("/api/v1/devices/dev-1/apps")
                    .then()
                    .body("apps.find { it.appId == 'vpn' }.installState", equalTo("INSTALLED")));

            given().auth()
                    .oauth2(admin)
                    .contentType("application/json")
                    .body(Map.of("version", "1.1.0"))
                    .post("/api/v1/apps/vpn/versions")
                    .then()
                    .statusCode(201)
                    .body("updatesRequested", equalTo(1));
            AppUpdateRequested update =
                    probe.await(AppUpdateRequested.class, e -> e.getDeviceId().equals("dev-1"), WAIT);
            assertThat(update.getVersion()).isEqualTo("1.1.0");
            assertThat(update.getAppId()).isEqualTo("vpn");

            fx.assign("game", "UNINSTALL", target("ALL_DEVICES", null, false));
            given().auth()
                    .oauth2(admin)
                    .contentType("application/json")
                    .body(assignment("UNINSTALL", target("ALL_DEVICES", null, false)))
                    .put("/api/v1/apps/vpn/assignments/" + vpn)
                    .then()
                    .statusCode(200);
            AppUninstallRequested uninstall =
                    probe.await(AppUninstallRequested.class, e -> e.getAppId().equals("vpn"), WAIT);
            assertThat(uninstall.getDeviceId()).isEqualTo("dev-1");
            probe.assertNone(AppUninstallRequested.class, e -> e.getAppId().equals("game"), Duration.ofSeconds(2));
        }
    }

    @Test
    void aNewlyEnrolledDeviceGetsItsRequiredApps() {
        fx.registerApp("mail");
        fx.assign("mail", "REQUIRED", target("ALL_DEVICES", null, false));
        try (TopicProbe probe = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.MDM_COMMANDS)) {
            fx.enroll("dev-new", "dave");
            probe.await(
                    AppInstallRequested.class,
                    e -> e.getDeviceId().equals("dev-new") && e.getAppId().equals("mail"),
                    WAIT);
        }
    }
}
