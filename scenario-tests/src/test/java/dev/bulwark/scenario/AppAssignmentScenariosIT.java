package dev.bulwark.scenario;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulwark.contract.Topics;
import dev.bulwark.deploy.BulwarkService;
import dev.bulwark.deploy.RunningStack;
import dev.bulwark.events.AppInstallRequested;
import dev.bulwark.events.AppUninstallRequested;
import dev.bulwark.events.AppUpdateRequested;
import dev.bulwark.events.AssignmentChanged;
import dev.bulwark.events.AssignmentIntent;
import dev.bulwark.events.ChangeKind;
import dev.bulwark.testsupport.TopicProbe;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's app assignment stories across device-registry and assignment-service running as separate processes from
 * their packaged jars, on real Kafka and PostgreSQL: the admin, the user and the device agent act over REST only, and
 * the commands assignment-service decides on are read from the topics as an MDM agent's gateway would read them. The
 * point is the management model across the two services: what device-registry says is managed gets Required apps and
 * updates; an unmanaged app instance of the same user never gets an MDM command.
 */
class AppAssignmentScenariosIT {

    private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration QUIET = Duration.ofSeconds(5);
    private static final String TEAMS = "com.contoso.teams";
    private static final String NEWS = "com.contoso.news";

    @TempDir
    static Path dataDir;

    private static RunningStack stack;

    @BeforeAll
    static void startStack() {
        // the admin, the devices and the portal go through the gateway's one address, as users of the product do
        stack = ScenarioStack.start(
                dataDir,
                EnumSet.of(BulwarkService.DEVICE_REGISTRY, BulwarkService.ASSIGNMENT_SERVICE, BulwarkService.GATEWAY));
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void everyPathDeviceRegistryAndAssignmentServicePublishIsAnsweredByThemThroughTheGateway() {
        GatewayRouting.assertEveryPublishedPathReachesItsService(stack);
    }

    @Test
    void aRequiredAppReachesTheUsersEnrolledDeviceAndItsUpdatesButNeverTheUsersUnmanagedAppInstance() {
        ScenarioTenant t = new ScenarioTenant(stack);
        t.createUser("alice");
        t.createUserGroup("field-staff", "alice");
        registerApp(t, TEAMS, "MANAGED", "1.0.0").then().statusCode(201);

        try (TopicProbe assignments = TopicProbe.open(stack.bootstrapServers(), Topics.ASSIGNMENTS);
                TopicProbe commands = TopicProbe.open(stack.bootstrapServers(), Topics.MDM_COMMANDS)) {
            Response assigned = assign(t, TEAMS, "REQUIRED", "field-staff");
            assigned.then().statusCode(201);
            String assignmentId = assigned.path("assignmentId");

            AssignmentChanged changed = assignments.await(
                    AssignmentChanged.class, e -> e.getAssignmentId().equals(assignmentId), EVENT_TIMEOUT);
            assertThat(changed.getTenantId()).isEqualTo(t.id());
            assertThat(changed.getAppId()).isEqualTo(TEAMS);
            assertThat(changed.getChange()).isEqualTo(ChangeKind.CREATED);
            assertThat(changed.getIntent()).isEqualTo(AssignmentIntent.REQUIRED);
            assertThat(changed.getVersion()).isEqualTo(1);

            // Alice enrolls her phone herself.
            String alice = t.userToken("alice");
            String deviceId = given().auth()
                    .oauth2(alice)
                    .contentType(ContentType.JSON)
                    .body(Map.of(
                            "userId", "alice",
                            "platform", "ANDROID",
                            "osVersion", "14",
                            "model", "Pixel 8",
                            "hardwareId", "hw-" + t.id(),
                            "ownership", "CORPORATE"))
                    .post(t.registry() + "/api/v1/devices")
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("deviceId");

            AppInstallRequested install = commands.await(
                    AppInstallRequested.class,
                    e -> e.getTenantId().equals(t.id()) && e.getDeviceId().equals(deviceId),
                    EVENT_TIMEOUT);
            assertThat(install.getUserId()).isEqualTo("alice");
            assertThat(install.getAppId()).isEqualTo(TEAMS);
            assertThat(install.getVersion()).isEqualTo("1.0.0");
            assertThat(install.getReason()).contains(assignmentId);

            // Alice's unmanaged app instance (on a personal tablet) is hers too, but MDM commands never reach it.
            String registrationId = t.registerApp(alice, TEAMS, "tablet-" + t.id(), "1.0.0");
            Response unmanaged = awaitSubjectApps(t, registrationId);
            assertThat(unmanaged.<String>path("managementType")).isEqualTo("UNMANAGED");
            assertThat(unmanaged.jsonPath().getList("apps.appId", String.class)).doesNotContain(TEAMS);
            commands.assertNone(
                    AppInstallRequested.class,
                    e -> e.getTenantId().equals(t.id()) && !e.getDeviceId().equals(deviceId),
                    QUIET);
            commands.assertNone(
                    AppUninstallRequested.class, e -> e.getTenantId().equals(t.id()), Duration.ZERO);
            commands.assertNone(AppUpdateRequested.class, e -> e.getTenantId().equals(t.id()), Duration.ZERO);

            // The device agent reports the app installed; assignment-service settles the install.
            given().auth()
                    .oauth2(stack.deviceToken(t.id(), deviceId))
                    .contentType(ContentType.JSON)
                    .body(Map.of(
                            "osVersion", "14",
                            "encrypted", true,
                            "passcodeSet", true,
                            "jailbroken", false,
                            "installedApps", List.of(Map.of("appId", TEAMS, "version", "1.0.0"))))
                    .post(t.registry() + "/api/v1/devices/" + deviceId + "/state")
                    .then()
                    .statusCode(200);
            awaitInstallState(t, deviceId, TEAMS, "INSTALLED");

            Response published = given().auth()
                    .oauth2(t.admin())
                    .contentType(ContentType.JSON)
                    .body(Map.of("version", "1.1.0", "releaseNotes", "Faster sign-in"))
                    .post(assignmentService() + "/api/v1/apps/" + TEAMS + "/versions");
            published.then().statusCode(201);
            assertThat(published.<Integer>path("updatesRequested")).isEqualTo(1);

            AppUpdateRequested update = commands.await(
                    AppUpdateRequested.class,
                    e -> e.getTenantId().equals(t.id()) && e.getAppId().equals(TEAMS),
                    EVENT_TIMEOUT);
            assertThat(update.getDeviceId()).isEqualTo(deviceId);
            assertThat(update.getUserId()).isEqualTo("alice");
            assertThat(update.getVersion()).isEqualTo("1.1.0");
            commands.assertNone(
                    AppUpdateRequested.class,
                    e -> e.getTenantId().equals(t.id()) && !e.getDeviceId().equals(deviceId),
                    QUIET);
            assertThat(commands.all().stream()
                            .map(TopicProbe.ReceivedEvent::event)
                            .filter(e -> e instanceof AppInstallRequested i
                                    && i.getTenantId().equals(t.id())))
                    .hasSize(1);
        }
    }

    @Test
    void aStoreLinkOnlyAppCannotBeRequiredButCanBeOfferedInTheWebPortal() {
        ScenarioTenant t = new ScenarioTenant(stack);
        t.createUser("bruno");
        t.createUserGroup("readers", "bruno");
        registerApp(t, NEWS, "STORE_LINK_ONLY", "3.2").then().statusCode(201);

        try (TopicProbe assignments = TopicProbe.open(stack.bootstrapServers(), Topics.ASSIGNMENTS)) {
            Response refused = assign(t, NEWS, "REQUIRED", "readers");
            refused.then().statusCode(422).contentType("application/problem+json");
            assertThat(refused.<Integer>path("status")).isEqualTo(422);
            assertThat(refused.<String>path("detail")).isNotBlank();
            assertThat(given().auth()
                            .oauth2(t.admin())
                            .get(assignmentService() + "/api/v1/apps/" + NEWS + "/assignments")
                            .then()
                            .statusCode(200)
                            .extract()
                            .jsonPath()
                            .getList("$"))
                    .isEmpty();
            assignments.assertNone(AssignmentChanged.class, e -> e.getTenantId().equals(t.id()), QUIET);

            Response offered = assign(t, NEWS, "AVAILABLE", "readers");
            offered.then().statusCode(201);
            String assignmentId = offered.path("assignmentId");
            AssignmentChanged changed = assignments.await(
                    AssignmentChanged.class, e -> e.getAssignmentId().equals(assignmentId), EVENT_TIMEOUT);
            assertThat(changed.getIntent()).isEqualTo(AssignmentIntent.AVAILABLE);
        }

        // assignment-service learns Bruno's group from device-registry's event: ask until the portal offers the app.
        String bruno = t.userToken("bruno");
        Response[] last = new Response[1];
        await("web portal offers " + NEWS)
                .atMost(EVENT_TIMEOUT)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    last[0] = given().auth().oauth2(bruno).get(assignmentService() + "/api/v1/me/apps");
                    return last[0].statusCode() == 200
                            && last[0].jsonPath().getList("apps.app.appId").contains(NEWS);
                });
        Response portal = last[0];
        assertThat(portal.<String>path("userId")).isEqualTo("bruno");
        assertThat(portal.jsonPath().getList("managedDevices")).isEmpty();
        Map<String, Object> news = portal.jsonPath().getMap("apps.find { it.app.appId == '" + NEWS + "' }");
        assertThat(news).containsEntry("openInStore", true).containsEntry("installableOn", List.of());
        assertThat(portal.<List<String>>path("apps.find { it.app.appId == '" + NEWS + "' }.app.intents"))
                .containsExactly("AVAILABLE");
    }

    @Test
    void aDeviceActsWithNothingButItsEnrollmentCredentialAtBothServicesAndLosesItWhenRetired() {
        ScenarioTenant t = new ScenarioTenant(stack);
        t.createUser("dana");

        // Dana enrolls her phone; the answer carries the credential its agent acts with from then on.
        Response enrolled = given().auth()
                .oauth2(t.userToken("dana"))
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "userId", "dana",
                        "platform", "ANDROID",
                        "osVersion", "14",
                        "hardwareId", "hw-cred-" + t.id(),
                        "ownership", "CORPORATE"))
                .post(t.registry() + "/api/v1/devices");
        enrolled.then().statusCode(201);
        String deviceId = enrolled.path("deviceId");
        String credential = enrolled.path("credential.token");
        assertThat(credential).isNotBlank();

        Map<String, Object> report =
                Map.of("osVersion", "14", "encrypted", true, "passcodeSet", true, "jailbroken", false);
        given().auth()
                .oauth2(credential)
                .contentType(ContentType.JSON)
                .body(report)
                .post(t.registry() + "/api/v1/devices/" + deviceId + "/state")
                .then()
                .statusCode(200);
        // assignment-service verifies the credential with the keys device-registry publishes (its JWKS), and
        // answers the Company Portal of that device once it knows the enrollment
        await().atMost(EVENT_TIMEOUT).untilAsserted(() -> given().auth()
                .oauth2(credential)
                .get(assignmentService() + "/api/v1/me/portal/apps")
                .then()
                .statusCode(200)
                .body("deviceId", org.hamcrest.Matchers.equalTo(deviceId)));

        given().auth()
                .oauth2(t.userToken("dana"))
                .delete(t.registry() + "/api/v1/devices/" + deviceId)
                .then()
                .statusCode(204);
        // device-registry refuses it at once; assignment-service as soon as it has DeviceRetired
        given().auth()
                .oauth2(credential)
                .contentType(ContentType.JSON)
                .body(report)
                .post(t.registry() + "/api/v1/devices/" + deviceId + "/state")
                .then()
                .statusCode(401);
        await().atMost(EVENT_TIMEOUT).untilAsserted(() -> given().auth()
                .oauth2(credential)
                .get(assignmentService() + "/api/v1/me/portal/apps")
                .then()
                .statusCode(403));
        // a credential changed after signing is refused
        String[] parts = credential.split("\\.");
        String tampered = parts[0] + "." + parts[1].substring(0, parts[1].length() - 2) + "AA." + parts[2];
        given().auth()
                .oauth2(tampered)
                .get(assignmentService() + "/api/v1/me/portal/apps")
                .then()
                .statusCode(401);
    }

    private static String assignmentService() {
        return stack.url(BulwarkService.GATEWAY);
    }

    private static Response registerApp(ScenarioTenant t, String appId, String distribution, String version) {
        return given().auth()
                .oauth2(t.admin())
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "appId", appId,
                        "name", "App " + appId,
                        "platform", "ANDROID",
                        "storeRef", appId,
                        "protectedApp", true,
                        "version", version,
                        "distribution", distribution))
                .post(assignmentService() + "/api/v1/apps");
    }

    private static Response assign(ScenarioTenant t, String appId, String intent, String groupId) {
        return given().auth()
                .oauth2(t.admin())
                .contentType(ContentType.JSON)
                .body(Map.of("intent", intent, "targets", List.of(Map.of("kind", "USER_GROUP", "groupId", groupId))))
                .post(assignmentService() + "/api/v1/apps/" + appId + "/assignments");
    }

    /** Waits until assignment-service's projection knows the device or app instance, then returns its apps. */
    private static Response awaitSubjectApps(ScenarioTenant t, String subjectId) {
        Response[] last = new Response[1];
        await("assignment-service knows " + subjectId)
                .atMost(EVENT_TIMEOUT)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    last[0] = given().auth()
                            .oauth2(t.admin())
                            .get(assignmentService() + "/api/v1/devices/" + subjectId + "/apps");
                    return last[0].statusCode() == 200;
                });
        return last[0];
    }

    private static void awaitInstallState(ScenarioTenant t, String deviceId, String appId, String state) {
        await("app " + appId + " " + state + " on " + deviceId)
                .atMost(EVENT_TIMEOUT)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    Response apps = given().auth()
                            .oauth2(t.admin())
                            .get(assignmentService() + "/api/v1/devices/" + deviceId + "/apps");
                    return apps.statusCode() == 200
                            && state.equals(apps.path("apps.find { it.appId == '" + appId + "' }.installState"));
                });
    }
}
