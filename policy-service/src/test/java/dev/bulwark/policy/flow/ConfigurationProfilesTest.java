package dev.bulwark.policy.flow;

import static dev.bulwark.policy.flow.Fixtures.EVENT_TIMEOUT;
import static dev.bulwark.policy.flow.ProfileFixtures.allDevices;
import static dev.bulwark.policy.flow.ProfileFixtures.device;
import static dev.bulwark.policy.flow.ProfileFixtures.deviceGroupTarget;
import static dev.bulwark.policy.flow.ProfileFixtures.outcome;
import static dev.bulwark.policy.flow.ProfileFixtures.profile;
import static dev.bulwark.policy.flow.ProfileFixtures.userGroup;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.contract.Topics;
import dev.bulwark.events.ChangeKind;
import dev.bulwark.events.ConfigurationProfileApplyRequested;
import dev.bulwark.events.ConfigurationProfileRemoveRequested;
import dev.bulwark.events.ConfigurationProfileState;
import dev.bulwark.events.ConfigurationProfileType;
import dev.bulwark.events.ManagedRemediationRequested;
import dev.bulwark.events.MembershipChange;
import dev.bulwark.events.Platform;
import dev.bulwark.events.PolicyChanged;
import dev.bulwark.events.PolicyKind;
import dev.bulwark.events.ProfileDeliveryReason;
import dev.bulwark.testsupport.BulwarkInfra;
import dev.bulwark.testsupport.TopicProbe;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Device configuration profiles end to end on real Kafka and PostgreSQL: device-registry's and compliance-service's
 * events go in, the admin API is called, and the commands on bulwark.mdm-commands.v1 and PolicyChanged on
 * bulwark.policies.v1 are read back as an outside consumer would.
 */
@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "policy_service"))
class ConfigurationProfilesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PSK = "s3cret-wifi-Key-2718";
    private static final String VPN_SECRET = "vpn-Shared-Secret-31415";
    private static final Duration QUIET = Duration.ofSeconds(2);

    private Fixtures f;
    private ProfileFixtures p;
    private TopicProbe commands;
    private TopicProbe policies;

    @BeforeEach
    void open() {
        f = new Fixtures();
        p = new ProfileFixtures(f);
        commands = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.MDM_COMMANDS);
        policies = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.POLICIES);
    }

    @AfterEach
    void close() {
        commands.close();
        policies.close();
    }

    private static String wifi(String ssid, String security, String extra) {
        return "{\"ssid\": \"" + ssid + "\", \"security\": \"" + security + "\"" + extra + "}";
    }

    private static String password(int length, String complexity, String extra) {
        return "{\"minimumLength\": " + length + ", \"complexity\": \"" + complexity + "\"" + extra + "}";
    }

    private ConfigurationProfileApplyRequested awaitApply(
            String deviceId, String profileId, Predicate<ConfigurationProfileApplyRequested> also) {
        return commands.await(
                ConfigurationProfileApplyRequested.class,
                e -> e.getTenantId().equals(f.tenant)
                        && e.getDeviceId().equals(deviceId)
                        && e.getProfileId().equals(profileId)
                        && also.test(e),
                EVENT_TIMEOUT);
    }

    private ConfigurationProfileRemoveRequested awaitRemove(String deviceId, String profileId) {
        return commands.await(
                ConfigurationProfileRemoveRequested.class,
                e -> e.getTenantId().equals(f.tenant)
                        && e.getDeviceId().equals(deviceId)
                        && e.getProfileId().equals(profileId),
                EVENT_TIMEOUT);
    }

    private void assertNoCommandFor(String deviceId) {
        commands.assertNone(
                ConfigurationProfileApplyRequested.class,
                e -> e.getTenantId().equals(f.tenant) && e.getDeviceId().equals(deviceId),
                QUIET);
        commands.assertNone(
                ConfigurationProfileRemoveRequested.class,
                e -> e.getTenantId().equals(f.tenant) && e.getDeviceId().equals(deviceId),
                Duration.ZERO);
    }

    @Test
    void aWifiProfileForAUserGroupReachesItsMembersManagedDevicesOfThatPlatformOnlyAndNeverShowsTheKey()
            throws Exception {
        f.join("staff", "ann");
        f.join("other", "bob");
        p.enroll("ann-phone", "ann", Platform.ANDROID);
        p.enroll("ann-ipad", "ann", Platform.IOS);
        p.enroll("bob-phone", "bob", Platform.ANDROID);
        p.registerAppInstance("reg-ann", "ann");
        p.awaitDeviceKnown("ann-phone");
        p.awaitDeviceKnown("ann-ipad");
        p.awaitDeviceKnown("bob-phone");

        Response created = p.post(profile(
                "Corp Wi-Fi",
                "ANDROID",
                "WIFI",
                wifi("corp", "WPA2_PERSONAL", ", \"preSharedKey\": \"" + PSK + "\""),
                "[" + userGroup("staff") + "]"));
        created.then()
                .statusCode(201)
                .body("version", equalTo(1))
                .body("type", equalTo("WIFI"))
                .body("settings.ssid", equalTo("corp"))
                .body("settings.secretRef", startsWith("bulwark-secret:"))
                .body("settings", not(org.hamcrest.Matchers.hasKey("preSharedKey")));
        assertThat(created.asString()).doesNotContain(PSK);
        String id = created.path("id");

        ConfigurationProfileApplyRequested apply =
                awaitApply("ann-phone", id, e -> e.getReason() == ProfileDeliveryReason.ASSIGNED);
        assertThat(apply.getProfileVersion()).isEqualTo(1);
        assertThat(apply.getProfileType()).isEqualTo(ConfigurationProfileType.WIFI);
        assertThat(apply.getPlatform()).isEqualTo(Platform.ANDROID);
        assertThat(apply.getUserId()).isEqualTo("ann");
        JsonNode settings = JSON.readTree(apply.getSettingsJson());
        assertThat(settings.path("ssid").asText()).isEqualTo("corp");
        assertThat(settings.path("secretRef").asText()).startsWith("bulwark-secret:");
        // Another platform, and a user outside the group, get nothing.
        assertNoCommandFor("ann-ipad");
        assertNoCommandFor("bob-phone");

        PolicyChanged changed =
                policies.await(PolicyChanged.class, e -> e.getPolicyId().equals(id), EVENT_TIMEOUT);
        assertThat(changed.getPolicyKind()).isEqualTo(PolicyKind.DEVICE_CONFIGURATION);
        assertThat(changed.getChange()).isEqualTo(ChangeKind.CREATED);
        assertThat(changed.getPlatform()).isEqualTo(Platform.ANDROID);
        assertThat(JSON.readTree(changed.getSettingsJson()).path("type").asText())
                .isEqualTo("WIFI");

        p.status(id)
                .then()
                .statusCode(200)
                .body("counts.PENDING", equalTo(1))
                .body("devices.PENDING.deviceId", hasItem("ann-phone"));
        p.awaitStatus("ann-phone", id, "PENDING");

        // Keeping the secret by its reference is no change; a new key is a new version, still never shown.
        String ref = created.path("settings.secretRef");
        p.put(
                        id,
                        profile(
                                "Corp Wi-Fi",
                                "ANDROID",
                                "WIFI",
                                wifi("corp", "WPA2_PERSONAL", ", \"secretRef\": \"" + ref + "\""),
                                "[" + userGroup("staff") + "]"))
                .then()
                .statusCode(200)
                .body("version", equalTo(1));
        Response rekeyed = p.put(
                id,
                profile(
                        "Corp Wi-Fi",
                        "ANDROID",
                        "WIFI",
                        wifi("corp", "WPA2_PERSONAL", ", \"preSharedKey\": \"" + PSK + "-2\""),
                        "[" + userGroup("staff") + "]"));
        rekeyed.then().statusCode(200).body("version", equalTo(2));
        assertThat(rekeyed.asString()).doesNotContain(PSK);
        awaitApply("ann-phone", id, e -> e.getReason() == ProfileDeliveryReason.NEW_VERSION);
        String listed = given().auth()
                .oauth2(f.admin())
                .get("/api/v1/configuration-profiles")
                .asString();
        assertThat(listed).contains(id).doesNotContain(PSK);
        assertThat(given().auth()
                        .oauth2(f.admin())
                        .get("/api/v1/configuration-profiles/" + id)
                        .asString())
                .doesNotContain(PSK);
        assertNoSecretInAnyEvent(PSK);
    }

    @Test
    void allDevicesWithAnExcludedDeviceGroupAndASingleDeviceTarget() {
        f.join("sales", "cid");
        p.enroll("d-office", "cid", Platform.WINDOWS);
        p.enroll("d-kiosk", "kim", Platform.WINDOWS);
        p.enroll("d-lab", "lee", Platform.WINDOWS);
        p.deviceGroup("kiosks", "d-kiosk", MembershipChange.ADDED);
        p.deviceGroup("kiosks", "d-lab", MembershipChange.ADDED);
        p.awaitDeviceKnown("d-lab");

        String all = p.create(profile(
                "Passcode",
                "WINDOWS",
                "PASSWORD",
                password(8, "ALPHANUMERIC", ""),
                "[" + allDevices() + ", " + deviceGroupTarget("kiosks", true) + "]"));
        awaitApply("d-office", all, e -> true);
        // An excluded device group wins over "all devices"; a user group exclusion would not (another kind).
        assertNoCommandFor("d-kiosk");

        String single = p.create(
                profile("Lab VPN", "WINDOWS", "VPN", vpn("lab", "vpn.lab.example"), "[" + device("d-lab") + "]"));
        awaitApply("d-lab", single, e -> e.getProfileType() == ConfigurationProfileType.VPN);
        commands.assertNone(
                ConfigurationProfileApplyRequested.class,
                e -> e.getTenantId().equals(f.tenant)
                        && e.getProfileId().equals(single)
                        && !e.getDeviceId().equals("d-lab"),
                QUIET);
        p.awaitStatus("d-lab", single, "PENDING");
        given().auth()
                .oauth2(f.admin())
                .get("/api/v1/configuration-profiles/" + single)
                .then()
                .body("targets[0].kind", equalTo("DEVICE"))
                .body("targets[0].deviceId", equalTo("d-lab"));
        assertNoSecretInAnyEvent(VPN_SECRET);
    }

    private static String vpn(String name, String server) {
        return "{\"connectionName\": \"" + name + "\", \"connectionType\": \"L2TP\", \"server\": \"" + server
                + "\", \"authenticationMethod\": \"SHARED_SECRET\", \"sharedSecret\": \"" + VPN_SECRET + "\"}";
    }

    @Test
    void enrollmentMembershipNewVersionAndRemovalEachSendTheirCommand() {
        f.join("placeholder", "dan");
        f.membership("placeholder", "dan", MembershipChange.REMOVED);
        p.enroll("dan-1", "dan", Platform.ANDROID);
        p.awaitDeviceKnown("dan-1");
        String id = p.create(profile(
                "Mail",
                "ANDROID",
                "EMAIL",
                "{\"accountType\": \"EXCHANGE_ACTIVESYNC\", \"server\": \"outlook.office365.com\","
                        + " \"emailAddress\": \"{{mail}}\", \"authenticationMethod\": \"OAUTH\"}",
                "[" + userGroup("placeholder") + "]"));
        assertNoCommandFor("dan-1");

        // Membership added: the user's managed device gets the profile.
        f.join("placeholder", "dan");
        awaitApply("dan-1", id, e -> e.getReason() == ProfileDeliveryReason.ASSIGNED);
        // Enrollment of another device of the user: it gets it too.
        p.enroll("dan-2", "dan", Platform.ANDROID);
        awaitApply("dan-2", id, e -> e.getReason() == ProfileDeliveryReason.ASSIGNED);
        // A new version: both devices.
        p.put(
                        id,
                        profile(
                                "Mail",
                                "ANDROID",
                                "EMAIL",
                                "{\"accountType\": \"EXCHANGE_ACTIVESYNC\", \"server\": \"mail.contoso.com\","
                                        + " \"emailAddress\": \"{{mail}}\", \"authenticationMethod\": \"OAUTH\"}",
                                "[" + userGroup("placeholder") + "]"))
                .then()
                .statusCode(200)
                .body("version", equalTo(2));
        awaitApply("dan-1", id, e -> e.getReason() == ProfileDeliveryReason.NEW_VERSION && e.getProfileVersion() == 2);
        awaitApply("dan-2", id, e -> e.getReason() == ProfileDeliveryReason.NEW_VERSION && e.getProfileVersion() == 2);

        // Membership removed: removal from both; the device confirms one.
        f.membership("placeholder", "dan", MembershipChange.REMOVED);
        ConfigurationProfileRemoveRequested removed = awaitRemove("dan-1", id);
        assertThat(removed.getProfileType()).isEqualTo(ConfigurationProfileType.EMAIL);
        assertThat(removed.getReason()).contains("no longer targeted");
        awaitRemove("dan-2", id);
        p.awaitStatus("dan-1", id, "REMOVAL_PENDING");
        p.report("dan-1", "dan", List.of(outcome(id, 2, ConfigurationProfileState.REMOVED, null)));
        p.awaitStatus("dan-1", id, "REMOVED");

        // Retirement: marked removed, no command.
        f.join("placeholder", "dan");
        awaitApply("dan-2", id, e -> e.getReason() == ProfileDeliveryReason.ASSIGNED && e.getProfileVersion() == 2);
        java.time.Instant retiredAt = java.time.Instant.now();
        p.retire("dan-2", "dan");
        p.awaitStatus("dan-2", id, "REMOVED").then().body("managed", equalTo(false));
        commands.assertNone(
                ConfigurationProfileRemoveRequested.class,
                e -> e.getTenantId().equals(f.tenant)
                        && e.getDeviceId().equals("dan-2")
                        && !e.getOccurredAt().isBefore(retiredAt),
                QUIET);
    }

    @Test
    void removingATargetOrDeletingTheProfileRemovesItFromTheDevice() {
        p.enroll("e-1", "eve", Platform.MACOS);
        p.enroll("e-2", "eve", Platform.MACOS);
        p.deviceGroup("macs", "e-1", MembershipChange.ADDED);
        p.awaitDeviceKnown("e-2");
        String id = p.create(profile(
                "Mac passcode",
                "MACOS",
                "PASSWORD",
                password(6, "NUMERIC", ""),
                "[" + deviceGroupTarget("macs", false) + ", " + device("e-2") + "]"));
        awaitApply("e-1", id, e -> true);
        awaitApply("e-2", id, e -> true);

        // The single-device target is removed from the profile.
        p.put(
                        id,
                        profile(
                                "Mac passcode",
                                "MACOS",
                                "PASSWORD",
                                password(6, "NUMERIC", ""),
                                "[" + deviceGroupTarget("macs", false) + "]"))
                .then()
                .statusCode(200);
        awaitRemove("e-2", id);
        p.awaitStatus("e-2", id, "REMOVAL_PENDING");

        // A device leaving the device group loses it.
        p.deviceGroup("macs", "e-1", MembershipChange.REMOVED);
        awaitRemove("e-1", id);

        // Deleted: nothing left to remove from e-1 and e-2, but a third device that held it loses it.
        p.deviceGroup("macs", "e-1", MembershipChange.ADDED);
        awaitApply("e-1", id, e -> e.getReason() == ProfileDeliveryReason.ASSIGNED && e.getProfileVersion() == 2);
        given().auth()
                .oauth2(f.admin())
                .delete("/api/v1/configuration-profiles/" + id)
                .then()
                .statusCode(204);
        commands.await(
                ConfigurationProfileRemoveRequested.class,
                e -> e.getTenantId().equals(f.tenant)
                        && e.getDeviceId().equals("e-1")
                        && e.getReason().equals("profile deleted"),
                EVENT_TIMEOUT);
        PolicyChanged deleted = policies.await(
                PolicyChanged.class,
                e -> e.getPolicyId().equals(id) && e.getChange() == ChangeKind.DELETED,
                EVENT_TIMEOUT);
        assertThat(deleted.getPolicyKind()).isEqualTo(PolicyKind.DEVICE_CONFIGURATION);
        p.ofDevice("e-1")
                .then()
                .body("profiles[0].status", equalTo("REMOVAL_PENDING"))
                .body("profiles[0].profileDeleted", equalTo(true));
    }

    @Test
    void twoPasswordProfilesAreMergedMostRestrictiveWins() throws Exception {
        f.join("all-staff", "fay");
        f.join("finance", "fay");
        p.enroll("fay-phone", "fay", Platform.IOS);
        p.awaitDeviceKnown("fay-phone");
        String base = p.create(profile(
                "Base",
                "IOS",
                "PASSWORD",
                password(6, "NUMERIC", ", \"expiry\": 90, \"historyCount\": 3, \"lockAfterIdle\": \"PT5M\""),
                "[" + userGroup("all-staff") + "]"));
        ConfigurationProfileApplyRequested first = awaitApply("fay-phone", base, e -> true);
        assertThat(JSON.readTree(first.getSettingsJson()).path("minimumLength").asInt())
                .isEqualTo(6);

        String strict = p.create(profile(
                "Finance",
                "IOS",
                "PASSWORD",
                password(
                        8, "ALPHANUMERIC", ", \"expiry\": \"P30D\", \"historyCount\": 1, \"lockAfterIdle\": \"PT10M\""),
                "[" + userGroup("finance") + "]"));
        ConfigurationProfileApplyRequested second =
                awaitApply("fay-phone", strict, e -> e.getReason() == ProfileDeliveryReason.ASSIGNED);
        // The earlier profile is sent again with the merged settings too.
        ConfigurationProfileApplyRequested again =
                awaitApply("fay-phone", base, e -> e.getReason() == ProfileDeliveryReason.NEW_VERSION);
        for (ConfigurationProfileApplyRequested merged : List.of(second, again)) {
            JsonNode s = JSON.readTree(merged.getSettingsJson());
            assertThat(s.path("minimumLength").asInt()).isEqualTo(8);
            assertThat(s.path("complexity").asText()).isEqualTo("ALPHANUMERIC");
            assertThat(s.path("expiry").asText()).isEqualTo("P30D");
            assertThat(s.path("historyCount").asInt()).isEqualTo(3);
            assertThat(s.path("lockAfterIdle").asText()).isEqualTo("PT5M");
        }
        assertThat(again.getProfileVersion()).isEqualTo(1);
    }

    @Test
    void twoWifiProfilesForTheSameSsidWithDifferentSettingsConflictAndNeitherIsApplied() {
        f.join("g1", "gus");
        f.join("g2", "gus");
        p.enroll("gus-phone", "gus", Platform.ANDROID);
        p.awaitDeviceKnown("gus-phone");
        String a = p.create(profile(
                "Guest A",
                "ANDROID",
                "WIFI",
                wifi("guest", "WPA2_PERSONAL", ", \"secretRef\": \"vault:wifi/guest\""),
                "[" + userGroup("g1") + "]"));
        awaitApply("gus-phone", a, e -> true);

        String b =
                p.create(profile("Guest B", "ANDROID", "WIFI", wifi("guest", "OPEN", ""), "[" + userGroup("g2") + "]"));
        // A was applied before: it is removed; B is never applied.
        ConfigurationProfileRemoveRequested removed = awaitRemove("gus-phone", a);
        assertThat(removed.getReason()).contains("same SSID 'guest'");
        commands.assertNone(
                ConfigurationProfileApplyRequested.class,
                e -> e.getTenantId().equals(f.tenant) && e.getProfileId().equals(b),
                QUIET);
        Response view = p.awaitStatus("gus-phone", b, "CONFLICT");
        assertThat(view.<List<String>>path("profiles.status")).containsOnly("CONFLICT");
        p.status(a)
                .then()
                .body("counts.CONFLICT", equalTo(1))
                .body("devices.CONFLICT[0].reason", org.hamcrest.Matchers.containsString(b));

        // Same SSID with identical settings is no conflict; an unrelated SSID never was.
        p.put(
                        b,
                        profile(
                                "Guest B",
                                "ANDROID",
                                "WIFI",
                                wifi("guest", "WPA2_PERSONAL", ", \"secretRef\": \"vault:wifi/guest\""),
                                "[" + userGroup("g2") + "]"))
                .then()
                .statusCode(200);
        awaitApply("gus-phone", a, e -> e.getReason() == ProfileDeliveryReason.ASSIGNED);
        awaitApply("gus-phone", b, e -> e.getReason() == ProfileDeliveryReason.ASSIGNED);
    }

    @Test
    void statusComesFromTheDevicesReportsForTheDeliveredVersionOnly() {
        f.join("h", "hal");
        p.enroll("hal-1", "hal", Platform.ANDROID);
        p.enroll("hal-2", "hal", Platform.ANDROID);
        p.awaitDeviceKnown("hal-2");
        String id = p.create(profile(
                "VPN",
                "ANDROID",
                "VPN",
                "{\"connectionName\": \"corp\", \"connectionType\": \"CISCO_ANYCONNECT\", \"server\": \"vpn.contoso.com\","
                        + " \"authenticationMethod\": \"CERTIFICATE\", \"certificateRef\": \"scep:corp-vpn\"}",
                "[" + userGroup("h") + "]"));
        awaitApply("hal-1", id, e -> true);
        awaitApply("hal-2", id, e -> true);

        p.report("hal-1", "hal", List.of(outcome(id, 1, ConfigurationProfileState.APPLIED, null)));
        p.report("hal-2", "hal", List.of(outcome(id, 1, ConfigurationProfileState.FAILED, "certificate not found")));
        p.awaitStatus("hal-1", id, "APPLIED");
        p.awaitStatus("hal-2", id, "FAILED").then().body("profiles[0].reason", equalTo("certificate not found"));
        p.status(id)
                .then()
                .body("counts.APPLIED", equalTo(1))
                .body("counts.FAILED", equalTo(1))
                .body("devices.FAILED[0].deviceId", equalTo("hal-2"))
                .body("devices.FAILED[0].reason", equalTo("certificate not found"));

        // A new version: a report of the old one leaves it pending (drifted).
        p.put(
                        id,
                        profile(
                                "VPN",
                                "ANDROID",
                                "VPN",
                                "{\"connectionName\": \"corp\", \"connectionType\": \"CISCO_ANYCONNECT\","
                                        + " \"server\": \"vpn2.contoso.com\", \"authenticationMethod\": \"CERTIFICATE\","
                                        + " \"certificateRef\": \"scep:corp-vpn\"}",
                                "[" + userGroup("h") + "]"))
                .then()
                .body("version", equalTo(2));
        awaitApply("hal-1", id, e -> e.getProfileVersion() == 2);
        p.report("hal-1", "hal", List.of(outcome(id, 1, ConfigurationProfileState.APPLIED, null)));
        // PENDING already since version 2 was sent: wait for the stale report's effect, its reason
        p.awaitStatus("hal-1", id, "PENDING", "version 2 was sent")
                .then()
                .body("profiles[0].reportedVersion", equalTo(1))
                .body("profiles[0].reason", org.hamcrest.Matchers.containsString("version 2 was sent"));
        p.report("hal-1", "hal", List.of(outcome(id, 2, ConfigurationProfileState.APPLIED, null)));
        p.awaitStatus("hal-1", id, "APPLIED");
        p.status(id).then().body("counts.APPLIED", equalTo(1)).body("counts.PENDING", equalTo(1));
    }

    @Test
    void aRepushRemediationSendsTheNamedOrEveryAssignedProfileAgain() {
        f.join("i", "ida");
        p.enroll("ida-1", "ida", Platform.ANDROID);
        p.awaitDeviceKnown("ida-1");
        String pw =
                p.create(profile("PIN", "ANDROID", "PASSWORD", password(6, "NUMERIC", ""), "[" + userGroup("i") + "]"));
        String wf = p.create(profile(
                "Wi-Fi",
                "ANDROID",
                "WIFI",
                wifi("corp", "WPA2_ENTERPRISE", ", \"certificateRef\": \"scep:wifi\""),
                "[" + userGroup("i") + "]"));
        awaitApply("ida-1", pw, e -> true);
        awaitApply("ida-1", wf, e -> true);
        p.report("ida-1", "ida", List.of(outcome(wf, 1, ConfigurationProfileState.FAILED, "radio off")));
        p.awaitStatus("ida-1", wf, "FAILED");

        ManagedRemediationRequested one = p.repush("ida-1", "ida", List.of(wf));
        ConfigurationProfileApplyRequested repushed =
                awaitApply("ida-1", wf, e -> e.getReason() == ProfileDeliveryReason.REPUSH);
        assertThat(repushed.getCauseEventId()).isEqualTo(one.getEventId());
        commands.assertNone(
                ConfigurationProfileApplyRequested.class,
                e -> e.getTenantId().equals(f.tenant)
                        && e.getProfileId().equals(pw)
                        && e.getReason() == ProfileDeliveryReason.REPUSH,
                QUIET);
        p.awaitStatus("ida-1", wf, "PENDING");

        ManagedRemediationRequested all = p.repush("ida-1", "ida", List.of());
        awaitApply(
                "ida-1",
                pw,
                e -> e.getReason() == ProfileDeliveryReason.REPUSH
                        && all.getEventId().equals(e.getCauseEventId()));
        awaitApply(
                "ida-1",
                wf,
                e -> e.getReason() == ProfileDeliveryReason.REPUSH
                        && all.getEventId().equals(e.getCauseEventId()));
    }

    @Test
    void targetingAnUnmanagedAppInstanceOrAnUnknownDeviceIsRefusedAndNothingIsWritten() {
        p.registerAppInstance("reg-joe", "joe");
        p.enroll("joe-win", "joe", Platform.WINDOWS);
        p.awaitDeviceKnown("joe-win");
        p.awaitAppInstanceKnown("reg-joe");

        Response refused =
                p.post(profile("Wi-Fi", "ANDROID", "WIFI", wifi("corp", "OPEN", ""), "[" + device("reg-joe") + "]"));
        refused.then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("targets[0].deviceId"))
                .body("errors[0].message", org.hamcrest.Matchers.containsString("app instance"))
                .body("errors[0].message", org.hamcrest.Matchers.containsString("(managed) devices only"));
        p.post(profile(
                        "Wi-Fi",
                        "ANDROID",
                        "WIFI",
                        wifi("corp", "OPEN", ""),
                        "[" + allDevices() + ", " + device("nobody") + "]"))
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("targets[1].deviceId"))
                .body("errors[0].message", org.hamcrest.Matchers.containsString("not an enrolled managed device"));
        p.post(profile("Wi-Fi", "ANDROID", "WIFI", wifi("corp", "OPEN", ""), "[" + device("joe-win") + "]"))
                .then()
                .statusCode(422)
                .body("errors[0].message", org.hamcrest.Matchers.containsString("WINDOWS device"));

        given().auth()
                .oauth2(f.admin())
                .get("/api/v1/configuration-profiles")
                .then()
                .body("$", hasSize(0));
        policies.assertNone(PolicyChanged.class, e -> e.getTenantId().equals(f.tenant), QUIET);
        commands.assertNone(
                ConfigurationProfileApplyRequested.class, e -> e.getTenantId().equals(f.tenant), Duration.ZERO);
        given().auth()
                .oauth2(f.admin())
                .get("/api/v1/devices/reg-joe/configuration-profiles")
                .then()
                .statusCode(404);
    }

    @Test
    void anOverlongStringInTheSettingsOfEachProfileTypeIsA400NamingItAndNothingIsStored() {
        String[][] cases = {
            {
                "PASSWORD",
                "{\"minimumLength\": 6, \"complexity\": \"NUMERIC\", \"expiry\": \"P" + "9".repeat(64) + "D\"}",
                "settings.expiry"
            },
            {"WIFI", wifi("s".repeat(33), "OPEN", ""), "settings.ssid"},
            {
                "VPN",
                "{\"connectionName\": \"" + "c".repeat(101) + "\", \"connectionType\": \"IKEV2\","
                        + " \"server\": \"vpn.contoso.com\", \"authenticationMethod\": \"CERTIFICATE\","
                        + " \"certificateRef\": \"vault:vpn/corp\"}",
                "settings.connectionName"
            },
            {
                "EMAIL",
                "{\"accountType\": \"EXCHANGE_ACTIVESYNC\", \"server\": \"mail.contoso.com\","
                        + " \"emailAddress\": \"{{mail}}\", \"username\": \"" + "u".repeat(321) + "\","
                        + " \"authenticationMethod\": \"OAUTH\"}",
                "settings.username"
            },
        };
        for (String[] c : cases) {
            p.post(profile("Too long " + c[0], "IOS", c[0], c[1], "[]"))
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors.field", contains(c[2]));
        }
        given().auth()
                .oauth2(f.admin())
                .get("/api/v1/configuration-profiles")
                .then()
                .body("$", hasSize(0));
        policies.assertNone(PolicyChanged.class, e -> e.getTenantId().equals(f.tenant), QUIET);
    }

    @Test
    void badSettingsAreRefusedNamingEachFieldWithoutEchoingSecrets() {
        Response r = p.post(profile(
                "Bad",
                "IOS",
                "PASSWORD",
                "{\"minimumLength\": 2, \"complexity\": \"HARD\", \"expiry\": \"soon\", \"lockAfterIdle\": \"PT1H\","
                        + " \"ssid\": \"x\"}",
                "[]"));
        r.then().statusCode(422).contentType("application/problem+json");
        assertThat(r.<List<String>>path("errors.field"))
                .contains(
                        "settings.minimumLength",
                        "settings.complexity",
                        "settings.expiry",
                        "settings.lockAfterIdle",
                        "settings.ssid");

        Response wifi = p.post(profile(
                "Bad Wi-Fi", "ANDROID", "WIFI", wifi("corp", "WPA2_PERSONAL", ", \"preSharedKey\": \"short\""), "[]"));
        wifi.then().statusCode(422);
        assertThat(wifi.<List<String>>path("errors.field")).contains("settings.preSharedKey");
        assertThat(wifi.asString()).doesNotContain("\"short\"").doesNotContain(": short");

        Response vpn = p.post(profile(
                "Bad VPN",
                "ANDROID",
                "VPN",
                "{\"connectionName\": \"c\", \"connectionType\": \"L2TP\", \"server\": \"not a host\","
                        + " \"authenticationMethod\": \"CERTIFICATE\", \"sharedSecret\": \"" + VPN_SECRET + "\"}",
                "[]"));
        vpn.then().statusCode(422);
        assertThat(vpn.<List<String>>path("errors.field"))
                .contains(
                        "settings.connectionType", "settings.server", "settings.certificateRef", "settings.secretRef");
        assertThat(vpn.asString()).doesNotContain(VPN_SECRET);

        p.post("{\"name\": \"No type\", \"platform\": \"IOS\", \"settings\": {}}")
                .then()
                .statusCode(400);
        p.post(profile("Bad platform", "BLACKBERRY", "WIFI", "{}", "[]")).then().statusCode(400);
        p.post(profile("Group", "IOS", "PASSWORD", password(6, "NUMERIC", ""), "[" + userGroup("never-seen") + "]"))
                .then()
                .statusCode(422)
                .body("errors[0].field", equalTo("targets[0].groupId"));

        given().auth()
                .oauth2(f.admin())
                .get("/api/v1/configuration-profiles")
                .then()
                .body("$", hasSize(0));
        policies.assertNone(PolicyChanged.class, e -> e.getTenantId().equals(f.tenant), QUIET);
        assertNoSecretInAnyEvent(VPN_SECRET);
    }

    @Test
    void anotherTenantNeitherSeesNorChangesTheProfilesOrTheDevices() {
        Fixtures other = new Fixtures();
        p.enroll("kai-1", "kai", Platform.ANDROID);
        p.awaitDeviceKnown("kai-1");
        String id = p.create(
                profile("PIN", "ANDROID", "PASSWORD", password(6, "NUMERIC", ""), "[" + device("kai-1") + "]"));
        awaitApply("kai-1", id, e -> true);
        given().auth()
                .oauth2(other.admin())
                .get("/api/v1/configuration-profiles/" + id)
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(other.admin())
                .get("/api/v1/configuration-profiles/" + id + "/status")
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(other.admin())
                .get("/api/v1/configuration-profiles")
                .then()
                .body("$", hasSize(0));
        given().auth()
                .oauth2(other.admin())
                .delete("/api/v1/configuration-profiles/" + id)
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(other.admin())
                .get("/api/v1/devices/kai-1/configuration-profiles")
                .then()
                .statusCode(404);
        // The other tenant cannot name this tenant's device either.
        new ProfileFixtures(other)
                .post(profile("PIN", "ANDROID", "PASSWORD", password(6, "NUMERIC", ""), "[" + device("kai-1") + "]"))
                .then()
                .statusCode(422);
        given().auth()
                .oauth2(f.user("kai"))
                .get("/api/v1/configuration-profiles")
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(f.admin())
                .get("/api/v1/configuration-profiles/" + id)
                .then()
                .statusCode(200);
    }

    @Test
    void aCompliancePolicyCanRequireEveryAssignedProfileApplied() throws Exception {
        String body =
                """
                {"name": "Profiles applied", "platform": "ANDROID",
                 "rules": {"encryptionRequired": false, "passcodeRequired": false, "jailbrokenBlocked": true,
                           "configurationProfilesApplied": true},
                 "actions": [{"action": "MARK_NON_COMPLIANT", "after": "P1D"}], "targets": []}
                """;
        String id = given().auth()
                .oauth2(f.admin())
                .contentType("application/json")
                .body(body)
                .post("/api/v1/compliance-policies")
                .then()
                .statusCode(201)
                .body("rules.configurationProfilesApplied", equalTo(true))
                .extract()
                .path("id");
        PolicyChanged event =
                policies.await(PolicyChanged.class, e -> e.getPolicyId().equals(id), EVENT_TIMEOUT);
        assertThat(JSON.readTree(event.getSettingsJson())
                        .path("rules")
                        .path("configurationProfilesApplied")
                        .asBoolean())
                .isTrue();
        given().auth()
                .oauth2(f.admin())
                .contentType("application/json")
                .body(body.replace(
                        "\"configurationProfilesApplied\": true", "\"configurationProfilesApplied\": \"yes\""))
                .post("/api/v1/compliance-policies")
                .then()
                .statusCode(400);
    }

    /** Decodes every event on the policies and mdm-commands topics and checks none carries the secret. */
    private void assertNoSecretInAnyEvent(String secret) {
        try (TopicProbe allPolicies = TopicProbe.fromBeginning(BulwarkInfra.kafkaBootstrap(), Topics.POLICIES);
                TopicProbe allCommands = TopicProbe.fromBeginning(BulwarkInfra.kafkaBootstrap(), Topics.MDM_COMMANDS)) {
            for (TopicProbe probe : List.of(allPolicies, allCommands)) {
                List<TopicProbe.ReceivedEvent> events = probe.all();
                // Each all() polls once more: read until a poll brings nothing new (an empty topic: a few polls).
                for (int polls = 0; polls < 50; polls++) {
                    List<TopicProbe.ReceivedEvent> next = probe.all();
                    boolean settled = next.size() == events.size() && (!next.isEmpty() || polls >= 5);
                    events = next;
                    if (settled) {
                        break;
                    }
                }
                for (TopicProbe.ReceivedEvent event : events) {
                    assertThat(event.event().toString()).doesNotContain(secret);
                    assertThat(event.headers().toString()).doesNotContain(secret);
                }
            }
            assertThat(allPolicies.all()).isNotEmpty();
        }
    }
}
