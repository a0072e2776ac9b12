package dev.bulwark.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RouteTableTest {

    @ParameterizedTest(name = "{0} is answered by {1}")
    @CsvSource({
        "/api/v1/devices, DEVICE_REGISTRY",
        "/api/v1/devices/d-1, DEVICE_REGISTRY",
        "/api/v1/devices/d-1/state, DEVICE_REGISTRY",
        "/api/v1/app-instances/reg-1/state, DEVICE_REGISTRY",
        "/api/v1/users/u-1/licence, DEVICE_REGISTRY",
        "/api/v1/groups/g-1/members/u-1, DEVICE_REGISTRY",
        "/api/v1/imports, DEVICE_REGISTRY",
        "/api/v1/devices/d-1/apps, ASSIGNMENT_SERVICE",
        "/api/v1/devices/d-1/apps/com.contoso.mail, ASSIGNMENT_SERVICE",
        "/api/v1/devices/d-1/appsX, DEVICE_REGISTRY",
        "/api/v1/apps, ASSIGNMENT_SERVICE",
        "/api/v1/apps/a-1/assignments/as-1, ASSIGNMENT_SERVICE",
        "/api/v1/me/apps, ASSIGNMENT_SERVICE",
        "/api/v1/me/portal/apps, ASSIGNMENT_SERVICE",
        "/api/v1/me/portal/apps/a-1/install, ASSIGNMENT_SERVICE",
        "/api/v1/me/devices/d-1/apps/a-1/install, ASSIGNMENT_SERVICE",
        "/portal, ASSIGNMENT_SERVICE",
        "/portal/apps, ASSIGNMENT_SERVICE",
        "/api/v1/devices/d-1/configuration-profiles, POLICY_SERVICE",
        "/api/v1/me/sign-in, POLICY_SERVICE",
        "/api/v1/me/pin-set, POLICY_SERVICE",
        "/api/v1/app-protection-policies/p-1, POLICY_SERVICE",
        "/api/v1/compliance-policies, POLICY_SERVICE",
        "/api/v1/conditional-access-rules/r-1, POLICY_SERVICE",
        "/api/v1/configuration-profiles/c-1/status, POLICY_SERVICE",
        "/api/v1/templates, POLICY_SERVICE",
        "/api/v1/access, COMPLIANCE_SERVICE",
        "/api/v1/subjects/s-1/timeline, COMPLIANCE_SERVICE",
        "/api/v1/wipes, COMPLIANCE_SERVICE",
        "/.well-known/jwks.json, DEVICE_REGISTRY",
    })
    void eachPathOfThePublicApiIsAnsweredByTheServiceThatOwnsIt(String path, Service owner) {
        assertThat(RouteTable.owner(path)).contains(owner);
    }

    @ParameterizedTest(name = "{0} is nobody's")
    @ValueSource(
            strings = {
                "/api/v1/devicesX",
                "/api/v1/me",
                "/api/v1/me/other",
                "/api/v1/admin/dead-letters",
                "/api/v1",
                "/api/v2/devices",
                "/portalX",
                "/q/health",
                "/.well-known/openid-configuration",
            })
    void aPathNoServiceOwnsIsRoutedNowhere(String path) {
        assertThat(RouteTable.owner(path)).isEqualTo(Optional.empty());
    }
}
