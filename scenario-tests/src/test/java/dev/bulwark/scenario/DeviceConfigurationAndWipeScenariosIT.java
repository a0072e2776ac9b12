package dev.bulwark.scenario;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulwark.contract.Topics;
import dev.bulwark.deploy.BulwarkService;
import dev.bulwark.deploy.RunningStack;
import dev.bulwark.events.ConfigurationProfileApplyRequested;
import dev.bulwark.events.ConfigurationProfileRemoveRequested;
import dev.bulwark.events.ConfigurationProfileType;
import dev.bulwark.events.ManagementType;
import dev.bulwark.events.ProfileDeliveryReason;
import dev.bulwark.events.SignOutReason;
import dev.bulwark.events.SignOutRequired;
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
 * The managed device's configuration (seed 000: "After a device is enrolled … you can … create a password policy,
 * install a VPN connection, and more") and the selective wipe (DESIGN: per app × user × device, pending / failed /
 * successful, carried out at the app's next check-in), across device-registry, policy-service and compliance-service
 * as separate processes from their packaged jars. The device and the app act over REST, as an MDM agent and the app
 * SDK would; what the services decide is read from the topics and the admin's REST views.
 */
class DeviceConfigurationAndWipeScenariosIT {

    private static final Duration EVENT_TIMEOUT = ScenarioTenant.EVENT_TIMEOUT;
    private static final String PRE_SHARED_KEY = "correct-horse-battery-staple-42";
    private static final String MAIL = "com.contoso.mail";

    @TempDir
    static Path dataDir;

    private static RunningStack stack;

    @BeforeAll
    static void startStack() {
        stack = ScenarioStack.start(
                dataDir,
                EnumSet.of(
                        BulwarkService.DEVICE_REGISTRY,
                        BulwarkService.POLICY_SERVICE,
                        BulwarkService.COMPLIANCE_SERVICE));
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aManagedDeviceReceivesAppliesAndLosesProfilesAsItsGroupsChangeAndTheAdminSeesEveryStatus() {
        ScenarioTenant t = new ScenarioTenant(stack);
        t.createUser("maya");
        t.createUser("leo");
        createDeviceGroup(t, "office-wifi");
        // policy-service learns of a group from its first membership event: Leo's laptop is already in it.
        addMember(t, "office-wifi", enroll(t, "leo", "hw-leo-" + t.id()));

        try (TopicProbe commands = TopicProbe.open(stack.bootstrapServers(), Topics.MDM_COMMANDS);
                TopicProbe policies = TopicProbe.open(stack.bootstrapServers(), Topics.POLICIES)) {
            String passcode = createProfile(
                    t,
                    """
                    {"name": "Passcode", "platform": "ANDROID", "type": "PASSWORD",
                     "settings": {"minimumLength": 8, "complexity": "ALPHANUMERIC", "expiry": "P90D"},
                     "targets": [{"kind": "ALL_DEVICES"}]}
                    """);
            String wifi = createProfile(
                    t,
                    """
                    {"name": "Office Wi-Fi", "platform": "ANDROID", "type": "WIFI",
                     "settings": {"ssid": "contoso-office", "security": "WPA2_PERSONAL", "preSharedKey": "%s"},
                     "targets": [{"kind": "DEVICE_GROUP", "groupId": "office-wifi"}]}
                    """
                            .formatted(PRE_SHARED_KEY));

            // Enrollment makes the device subject to the all-devices passcode profile.
            String deviceId = enroll(t, "maya", "hw-maya-" + t.id());
            ConfigurationProfileApplyRequested passcodeApply = commands.await(
                    ConfigurationProfileApplyRequested.class,
                    e -> e.getDeviceId().equals(deviceId) && e.getProfileId().equals(passcode),
                    EVENT_TIMEOUT);
            assertThat(passcodeApply.getTenantId()).isEqualTo(t.id());
            assertThat(passcodeApply.getUserId()).isEqualTo("maya");
            assertThat(passcodeApply.getProfileType()).isEqualTo(ConfigurationProfileType.PASSWORD);
            assertThat(passcodeApply.getReason()).isEqualTo(ProfileDeliveryReason.ASSIGNED);
            assertThat(passcodeApply.getSettingsJson()).contains("\"minimumLength\":8");

            // Joining the device group brings the Wi-Fi profile; its key travels by reference only.
            addMember(t, "office-wifi", deviceId);
            ConfigurationProfileApplyRequested wifiApply = commands.await(
                    ConfigurationProfileApplyRequested.class,
                    e -> e.getDeviceId().equals(deviceId) && e.getProfileId().equals(wifi),
                    EVENT_TIMEOUT);
            assertThat(wifiApply.getProfileType()).isEqualTo(ConfigurationProfileType.WIFI);
            assertThat(wifiApply.getSettingsJson()).contains("contoso-office").contains("secretRef");
            assertThat(deviceProfile(t, deviceId, wifi)).containsEntry("status", "PENDING");

            // The device applies the passcode but cannot join the network; then it can.
            reportProfiles(t, deviceId, List.of(applied(passcode, 1), failed(wifi, 1, "network not in range")));
            awaitDeviceProfile(t, deviceId, wifi, "FAILED");
            assertThat(deviceProfile(t, deviceId, wifi)).containsEntry("reason", "network not in range");
            awaitDeviceProfile(t, deviceId, passcode, "APPLIED");
            reportProfiles(t, deviceId, List.of(applied(passcode, 1), applied(wifi, 1)));
            awaitDeviceProfile(t, deviceId, wifi, "APPLIED");
            Response wifiStatus = profileStatus(t, wifi);
            assertThat(wifiStatus.<Integer>path("counts.APPLIED")).isEqualTo(1);
            assertThat(wifiStatus.jsonPath().getList("devices.APPLIED.deviceId", String.class))
                    .containsExactly(deviceId);

            // Leaving the group takes the profile off the device; the passcode stays.
            removeMember(t, "office-wifi", deviceId);
            ConfigurationProfileRemoveRequested removal = commands.await(
                    ConfigurationProfileRemoveRequested.class,
                    e -> e.getDeviceId().equals(deviceId) && e.getProfileId().equals(wifi),
                    EVENT_TIMEOUT);
            assertThat(removal.getProfileType()).isEqualTo(ConfigurationProfileType.WIFI);
            commands.assertNone(
                    ConfigurationProfileRemoveRequested.class,
                    e -> e.getDeviceId().equals(deviceId) && e.getProfileId().equals(passcode),
                    Duration.ofSeconds(2));
            reportProfiles(
                    t,
                    deviceId,
                    List.of(applied(passcode, 1), Map.of("profileId", wifi, "version", 1, "state", "REMOVED")));
            awaitDeviceProfile(t, deviceId, wifi, "REMOVED");
            assertThat(profileStatus(t, wifi).<Integer>path("counts.REMOVED")).isEqualTo(1);
            assertThat(deviceProfile(t, deviceId, passcode)).containsEntry("status", "APPLIED");

            // The pre-shared key appears in no event and no answer.
            assertThat(commands.all())
                    .isNotEmpty()
                    .allSatisfy(r -> assertThat(r.event().toString()).doesNotContain(PRE_SHARED_KEY));
            assertThat(policies.all())
                    .allSatisfy(r -> assertThat(r.event().toString()).doesNotContain(PRE_SHARED_KEY));
            assertThat(given().auth()
                            .oauth2(t.admin())
                            .get(t.policy() + "/api/v1/configuration-profiles/" + wifi)
                            .then()
                            .statusCode(200)
                            .extract()
                            .asString())
                    .doesNotContain(PRE_SHARED_KEY);
        }
    }

    @Test
    void aProfileCannotBeAimedAtAnUnmanagedAppInstance() {
        ScenarioTenant t = new ScenarioTenant(stack);
        t.createUser("omar");
        String registrationId = t.registerApp(t.userToken("omar"), MAIL, "tablet-omar", "5.1");
        try (TopicProbe policies = TopicProbe.open(stack.bootstrapServers(), Topics.POLICIES)) {
            Response[] last = new Response[1];
            // policy-service learns of the registration from its event: until then the id is merely unknown.
            await("the registration is known to policy-service")
                    .atMost(EVENT_TIMEOUT)
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        last[0] = given().auth()
                                .oauth2(t.admin())
                                .contentType(ContentType.JSON)
                                .body(
                                        """
                                        {"name": "VPN", "platform": "ANDROID", "type": "VPN",
                                         "settings": {"connectionName": "corp", "connectionType": "IKEV2",
                                                      "server": "vpn.contoso.com", "authenticationMethod": "CERTIFICATE",
                                                      "certificateRef": "cert-vpn"},
                                         "targets": [{"kind": "DEVICE", "deviceId": "%s"}]}
                                        """
                                                .formatted(registrationId))
                                .post(t.policy() + "/api/v1/configuration-profiles");
                        return last[0].asString().contains("unmanaged");
                    });
            assertThat(last[0].statusCode()).isEqualTo(422);
            assertThat(last[0].contentType()).startsWith("application/problem+json");
            assertThat(given().auth()
                            .oauth2(t.admin())
                            .get(t.policy() + "/api/v1/configuration-profiles")
                            .then()
                            .statusCode(200)
                            .extract()
                            .jsonPath()
                            .getList("$"))
                    .isEmpty();
            policies.assertNone(
                    dev.bulwark.events.PolicyChanged.class, e -> e.getTenantId().equals(t.id()), Duration.ofSeconds(3));
        }
    }

    @Test
    void retiringADeviceSignsItsUserOutWithASelectiveWipeThatStaysPendingUntilCarriedOut() {
        ScenarioTenant t = new ScenarioTenant(stack);
        t.createUser("nina");
        String deviceId = enroll(t, "nina", "hw-nina-" + t.id());
        try (TopicProbe signOuts = TopicProbe.open(stack.bootstrapServers(), Topics.SIGNOUT)) {
            given().auth()
                    .oauth2(t.admin())
                    .delete(t.registry() + "/api/v1/devices/" + deviceId)
                    .then()
                    .statusCode(204);
            SignOutRequired signOut =
                    signOuts.await(SignOutRequired.class, e -> e.getSubjectId().equals(deviceId), EVENT_TIMEOUT);
            assertThat(signOut.getTenantId()).isEqualTo(t.id());
            assertThat(signOut.getUserId()).isEqualTo("nina");
            assertThat(signOut.getManagementType()).isEqualTo(ManagementType.MANAGED);
            assertThat(signOut.getReason()).isEqualTo(SignOutReason.DEVICE_RETIRED);
            assertThat(signOut.getSelectiveWipe()).isTrue();
            assertThat(signOut.getUserMessage()).isNotBlank();
        }
        Response wipes = awaitWipes(t, deviceId);
        assertThat(wipes.jsonPath().getList("items.status", String.class)).containsOnly("PENDING");
        assertThat(wipes.jsonPath().getList("items.userId", String.class)).containsOnly("nina");
        assertThat(wipes.jsonPath().getList("items.reason", String.class)).containsOnly("DEVICE_RETIRED");
    }

    @Test
    void aJailbrokenAppWhosePolicySaysWipeIsSignedOutAndItsWipeSucceedsAtTheNextCheckIn() {
        ScenarioTenant t = new ScenarioTenant(stack);
        t.createUser("pia");
        t.licence("pia");
        t.createUser("probe");
        t.licence("probe");
        t.createAppProtectionPolicy(
                """
                {"name": "Mail level 3", "platform": "ANDROID", "appIds": ["%s"],
                 "settings": {"jailbrokenOrRooted": "WIPE_DATA", "minimumAppVersion": {"block": "5.0"},
                              "remediationEnabled": false},
                 "targets": [{"kind": "ALL_USERS"}]}
                """
                        .formatted(MAIL));
        String pia = t.userToken("pia");
        String reg = t.registerApp(pia, MAIL, "rooted-phone-pia", "5.1");
        try (TopicProbe verdicts = TopicProbe.open(stack.bootstrapServers(), Topics.COMPLIANCE);
                TopicProbe signOuts = TopicProbe.open(stack.bootstrapServers(), Topics.SIGNOUT)) {
            // Until compliance-service has the policy, a jailbroken check-in would meet the baseline, which blocks but
            // never wipes. A colleague's app below the policy's minimum version (which the baseline does not check)
            // fails only once the policy is there.
            String probe = t.userToken("probe");
            String probeReg = t.registerApp(probe, MAIL, "phone-probe", "4.0");
            t.reportAppState(probe, probeReg, "4.0", true);
            verdicts.await(
                    dev.bulwark.events.ComplianceFailed.class,
                    e -> e.getSubjectId().equals(probeReg),
                    EVENT_TIMEOUT);

            appCheckIn(pia, t, reg, true, List.of());
            SignOutRequired signOut =
                    signOuts.await(SignOutRequired.class, e -> e.getSubjectId().equals(reg), EVENT_TIMEOUT);
            assertThat(signOut.getSelectiveWipe()).isTrue();
            assertThat(signOut.getAppIds()).containsExactly(MAIL);
        }
        Response pending = awaitWipes(t, reg);
        assertThat(pending.jsonPath().getList("items.status", String.class)).containsExactly("PENDING");
        String wipeId = pending.jsonPath().getString("items[0].wipeId");

        // The app carries the wipe out at its next check-in and says so.
        appCheckIn(pia, t, reg, true, List.of(Map.of("appId", MAIL, "succeeded", true)));
        await("wipe " + wipeId + " successful")
                .atMost(EVENT_TIMEOUT)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> "SUCCESSFUL"
                        .equals(given().auth()
                                .oauth2(t.admin())
                                .get(t.compliance() + "/api/v1/wipes/" + wipeId)
                                .then()
                                .statusCode(200)
                                .extract()
                                .path("status")));
    }

    private static String createProfile(ScenarioTenant t, String body) {
        Response[] last = new Response[1];
        // policy-service learns groups from device-registry's events: retry while the group is still unknown.
        await("configuration profile accepted")
                .atMost(EVENT_TIMEOUT)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    last[0] = given().auth()
                            .oauth2(t.admin())
                            .contentType(ContentType.JSON)
                            .body(body)
                            .post(t.policy() + "/api/v1/configuration-profiles");
                    return last[0].statusCode() != 422 || !last[0].asString().contains("group");
                });
        String created = last[0].asString();
        assertThat(last[0].statusCode()).as(created).isEqualTo(201);
        assertThat(created).doesNotContain(PRE_SHARED_KEY);
        return last[0].path("id");
    }

    private static void createDeviceGroup(ScenarioTenant t, String groupId) {
        given().auth()
                .oauth2(t.admin())
                .contentType(ContentType.JSON)
                .body(Map.of("groupId", groupId, "name", "Group " + groupId, "kind", "DEVICE"))
                .post(t.registry() + "/api/v1/groups")
                .then()
                .statusCode(201);
    }

    private static void addMember(ScenarioTenant t, String groupId, String memberId) {
        given().auth()
                .oauth2(t.admin())
                .contentType(ContentType.JSON)
                .body(Map.of("memberId", memberId))
                .post(t.registry() + "/api/v1/groups/" + groupId + "/members")
                .then()
                .statusCode(201);
    }

    private static void removeMember(ScenarioTenant t, String groupId, String memberId) {
        given().auth()
                .oauth2(t.admin())
                .delete(t.registry() + "/api/v1/groups/" + groupId + "/members/" + memberId)
                .then()
                .statusCode(204);
    }

    /** The user enrolls their device; returns its deviceId. */
    private static String enroll(ScenarioTenant t, String userId, String hardwareId) {
        return given().auth()
                .oauth2(t.userToken(userId))
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "userId", userId,
                        "platform", "ANDROID",
                        "osVersion", "14",
                        "model", "Pixel 8",
                        "hardwareId", hardwareId,
                        "ownership", "CORPORATE"))
                .post(t.registry() + "/api/v1/devices")
                .then()
                .statusCode(201)
                .extract()
                .path("deviceId");
    }

    private static Map<String, Object> applied(String profileId, int version) {
        return Map.of("profileId", profileId, "version", version, "state", "APPLIED");
    }

    private static Map<String, Object> failed(String profileId, int version, String reason) {
        return Map.of("profileId", profileId, "version", version, "state", "FAILED", "reason", reason);
    }

    /** The MDM agent's check-in, with the outcome of the profiles it was told to apply or remove. */
    private static void reportProfiles(ScenarioTenant t, String deviceId, List<Map<String, Object>> profiles) {
        given().auth()
                .oauth2(stack.deviceToken(t.id(), deviceId))
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "osVersion",
                        "14",
                        "encrypted",
                        true,
                        "passcodeSet",
                        true,
                        "jailbroken",
                        false,
                        "installedApps",
                        List.of(),
                        "configurationProfiles",
                        profiles))
                .post(t.registry() + "/api/v1/devices/" + deviceId + "/state")
                .then()
                .statusCode(200);
    }

    private static void appCheckIn(
            String userToken, ScenarioTenant t, String reg, boolean jailbroken, List<Map<String, Object>> wipes) {
        given().auth()
                .oauth2(userToken)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "osVersion",
                        "14",
                        "appVersion",
                        "5.1",
                        "pinSet",
                        true,
                        "jailbroken",
                        jailbroken,
                        "selectiveWipeResults",
                        wipes))
                .post(t.registry() + "/api/v1/app-instances/" + reg + "/state")
                .then()
                .statusCode(200);
    }

    private static Map<String, Object> deviceProfile(ScenarioTenant t, String deviceId, String profileId) {
        List<Map<String, Object>> profiles = given().auth()
                .oauth2(t.admin())
                .get(t.policy() + "/api/v1/devices/" + deviceId + "/configuration-profiles")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("profiles");
        return profiles.stream()
                .filter(p -> profileId.equals(p.get("profileId")))
                .findFirst()
                .orElse(Map.of());
    }

    private static void awaitDeviceProfile(ScenarioTenant t, String deviceId, String profileId, String status) {
        await(profileId + " " + status + " on " + deviceId)
                .atMost(EVENT_TIMEOUT)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> status.equals(deviceProfile(t, deviceId, profileId).get("status")));
    }

    private static Response profileStatus(ScenarioTenant t, String profileId) {
        return given().auth()
                .oauth2(t.admin())
                .get(t.policy() + "/api/v1/configuration-profiles/" + profileId + "/status")
                .then()
                .statusCode(200)
                .extract()
                .response();
    }

    private static Response awaitWipes(ScenarioTenant t, String subjectId) {
        Response[] last = new Response[1];
        await("wipes of " + subjectId)
                .atMost(EVENT_TIMEOUT)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    last[0] = given().auth()
                            .oauth2(t.admin())
                            .queryParam("subjectId", subjectId)
                            .get(t.compliance() + "/api/v1/wipes");
                    return last[0].statusCode() == 200
                            && !last[0].jsonPath().getList("items").isEmpty();
                });
        return last[0];
    }
}
