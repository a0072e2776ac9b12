package dev.bulwark.policy.configuration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.policy.devices.ManagedDevice;
import dev.bulwark.policy.support.FieldErrors;
import dev.bulwark.policy.targeting.Target;
import dev.bulwark.policy.targeting.TargetKind;
import dev.bulwark.rules.OsPlatform;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Targeting, the password merge and conflicts of configuration profiles, without I/O. */
class DesiredProfilesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ManagedDevice PHONE = new ManagedDevice("t", "d1", "u1", "ANDROID", false);

    private static ObjectNode json(String text) throws Exception {
        return (ObjectNode) JSON.readTree(text);
    }

    private static ProfileDefinition profile(
            String id, ProfileType type, String settings, List<Target> targets, List<DeviceTarget> devices)
            throws Exception {
        return new ProfileDefinition(id, id, 1, "ANDROID", type, json(settings), targets, devices);
    }

    @Test
    void exclusionWinsWithinItsKindOnlyAndThePlatformMustMatch() throws Exception {
        List<Target> targets = List.of(
                new Target(TargetKind.USER_GROUP, "staff", false),
                new Target(TargetKind.USER_GROUP, "contractors", true),
                new Target(TargetKind.DEVICE_GROUP, "kiosks", true));
        ProfileDefinition p = profile("p", ProfileType.PASSWORD, "{}", targets, List.of());
        assertThat(DesiredProfiles.reaches(p, PHONE, Set.of("staff"), Set.of())).isTrue();
        assertThat(DesiredProfiles.reaches(p, PHONE, Set.of("staff", "contractors"), Set.of()))
                .isFalse();
        // An excluded device group does not take away what a user group gave (different kinds).
        assertThat(DesiredProfiles.reaches(p, PHONE, Set.of("staff"), Set.of("kiosks")))
                .isTrue();
        ManagedDevice ipad = new ManagedDevice("t", "d2", "u1", "IOS", false);
        assertThat(DesiredProfiles.reaches(p, ipad, Set.of("staff"), Set.of())).isFalse();

        ProfileDefinition allButOne = profile(
                "q",
                ProfileType.PASSWORD,
                "{}",
                List.of(new Target(TargetKind.ALL_DEVICES, null, false)),
                List.of(new DeviceTarget("d1", true)));
        assertThat(DesiredProfiles.reaches(allButOne, PHONE, Set.of(), Set.of()))
                .isFalse();
        assertThat(DesiredProfiles.reaches(
                        allButOne, new ManagedDevice("t", "d3", "u2", "ANDROID", false), Set.of(), Set.of()))
                .isTrue();
    }

    @Test
    void passwordsMergeMostRestrictiveAndOtherTypesConflictOnlyWithDifferentSettings() throws Exception {
        List<Target> all = List.of(new Target(TargetKind.ALL_DEVICES, null, false));
        List<ProfileDefinition> profiles = List.of(
                profile(
                        "pw1",
                        ProfileType.PASSWORD,
                        "{\"minimumLength\": 6, \"complexity\": \"COMPLEX\", \"historyCount\": 5}",
                        all,
                        List.of()),
                profile(
                        "pw2",
                        ProfileType.PASSWORD,
                        "{\"minimumLength\": 10, \"complexity\": \"NUMERIC\", \"expiry\": \"P60D\","
                                + " \"lockAfterIdle\": \"PT2M\"}",
                        all,
                        List.of()),
                profile("w1", ProfileType.WIFI, "{\"ssid\": \"corp\", \"security\": \"OPEN\"}", all, List.of()),
                profile("w2", ProfileType.WIFI, "{\"ssid\": \"corp\", \"security\": \"OPEN\"}", all, List.of()),
                profile("v1", ProfileType.VPN, "{\"connectionName\": \"a\", \"server\": \"vpn.x\"}", all, List.of()),
                profile("v2", ProfileType.VPN, "{\"connectionName\": \"b\", \"server\": \"VPN.X\"}", all, List.of()));
        Map<String, DesiredProfiles.Desired> desired = DesiredProfiles.of(PHONE, Set.of(), Set.of(), profiles);
        ObjectNode merged = desired.get("pw1").payload();
        assertThat(merged).isEqualTo(desired.get("pw2").payload());
        assertThat(merged.toString())
                .isEqualTo("{\"minimumLength\":10,\"complexity\":\"COMPLEX\",\"expiry\":\"P60D\",\"historyCount\":5,"
                        + "\"lockAfterIdle\":\"PT2M\"}");
        assertThat(desired.get("w1").conflicted()).isFalse();
        assertThat(desired.get("w2").conflicted()).isFalse();
        assertThat(desired.get("v1").conflict())
                .contains("same VPN server 'vpn.x'")
                .contains("v2");
        assertThat(desired.get("v2").conflicted()).isTrue();
        assertThat(desired.get("v2").payload()).isNull();
    }

    @Test
    void aSecretValueIsReplacedByAReferenceAndErrorsNeverRepeatIt() throws Exception {
        FieldErrors errors = new FieldErrors();
        ProfileSettings.Checked checked = ProfileSettings.check(
                ProfileType.WIFI,
                OsPlatform.ANDROID,
                json("{\"ssid\": \"corp\", \"security\": \"WPA3_PERSONAL\", \"preSharedKey\": \"correct horse\"}"),
                ref -> false,
                errors);
        assertThat(errors.isEmpty()).isTrue();
        assertThat(checked.settings().toString()).doesNotContain("correct horse");
        assertThat(checked.settings().path("secretRef").asText()).startsWith("bulwark-secret:");
        assertThat(checked.secrets()).singleElement().satisfies(s -> {
            assertThat(s.value()).isEqualTo("correct horse");
            assertThat(s.toString()).doesNotContain("correct horse");
        });

        FieldErrors bad = new FieldErrors();
        ProfileSettings.check(
                ProfileType.WIFI,
                OsPlatform.ANDROID,
                json("{\"ssid\": \"corp\", \"security\": \"WPA2_PERSONAL\", \"preSharedKey\": \"tiny\"}"),
                ref -> false,
                bad);
        assertThat(bad.list()).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("settings.preSharedKey");
            assertThat(e.message()).doesNotContain("tiny");
        });
    }
}
