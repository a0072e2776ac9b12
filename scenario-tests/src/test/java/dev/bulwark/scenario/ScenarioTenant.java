package dev.bulwark.scenario;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import dev.bulwark.deploy.BulwarkService;
import dev.bulwark.deploy.Role;
import dev.bulwark.deploy.RunningStack;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * One fresh tenant on a running stack, and the REST calls its administrator and its users' protected apps make. Each
 * scenario gets its own, so scenarios sharing a stack never see each other's users, groups or policies.
 */
final class ScenarioTenant {

    static final Duration EVENT_TIMEOUT = Duration.ofSeconds(90);

    private final RunningStack stack;
    private final String tenantId;
    private final String admin;

    ScenarioTenant(RunningStack stack) {
        this(stack, "scenario-" + UUID.randomUUID(), null);
    }

    /** A tenant whose administrator signs in elsewhere (an identity provider): its id and that admin's token. */
    ScenarioTenant(RunningStack stack, String tenantId, String adminToken) {
        this.stack = stack;
        this.tenantId = tenantId;
        this.admin = adminToken != null ? adminToken : stack.adminToken(tenantId);
    }

    String id() {
        return tenantId;
    }

    String admin() {
        return admin;
    }

    /** A fresh token of the user, issued now (a sign-out is cleared only by a token issued after it). */
    String userToken(String userId) {
        return stack.mintToken(tenantId, Role.USER, userId, Optional.empty());
    }

    String registry() {
        return address(BulwarkService.DEVICE_REGISTRY);
    }

    String policy() {
        return address(BulwarkService.POLICY_SERVICE);
    }

    String compliance() {
        return address(BulwarkService.COMPLIANCE_SERVICE);
    }

    /** Where the admin and the apps reach {@code service}: the gateway's one address when the stack runs it. */
    private String address(BulwarkService service) {
        return stack.runs(BulwarkService.GATEWAY) ? stack.url(BulwarkService.GATEWAY) : stack.url(service);
    }

    void createUser(String userId) {
        given().auth()
                .oauth2(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("userId", userId, "displayName", "User " + userId, "email", userId + "@example.com"))
                .post(registry() + "/api/v1/users")
                .then()
                .statusCode(201);
    }

    /** A managed phone of the tenant and the credential its enrollment answer gave it. */
    record ManagedPhone(String deviceId, String credential) {}

    /** Enrolls a corporate Android 14 phone for {@code userId} (MDM), as the tenant's administrator. */
    ManagedPhone enrollPhone(String userId) {
        Response enrolment = given().auth()
                .oauth2(admin)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "userId", userId,
                        "platform", "ANDROID",
                        "osVersion", "14",
                        "model", "Pixel 8",
                        "hardwareId", "SN-" + UUID.randomUUID(),
                        "ownership", "CORPORATE"))
                .post(registry() + "/api/v1/devices");
        org.assertj.core.api.Assertions.assertThat(enrolment.statusCode())
                .as(enrolment.asString())
                .isEqualTo(201);
        String credential = enrolment.path("credential.token");
        org.assertj.core.api.Assertions.assertThat(credential)
                .as("the enrollment answer's credential.token")
                .isNotBlank();
        return new ManagedPhone(enrolment.path("deviceId"), credential);
    }

    /** The phone checks in for itself with its own credential (the baseline's minimum OS is 14). */
    void checkIn(ManagedPhone phone, String osVersion) {
        given().auth()
                .oauth2(phone.credential())
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "osVersion", osVersion,
                        "encrypted", true,
                        "passcodeSet", true,
                        "jailbroken", false,
                        "installedApps", java.util.List.of()))
                .post(registry() + "/api/v1/devices/" + phone.deviceId() + "/state")
                .then()
                .statusCode(200);
    }

    void licence(String userId) {
        given().auth()
                .oauth2(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("licensed", true))
                .put(registry() + "/api/v1/users/" + userId + "/licence")
                .then()
                .statusCode(200);
    }

    void createUserGroup(String groupId, String... members) {
        given().auth()
                .oauth2(admin)
                .contentType(ContentType.JSON)
                .body(Map.of("groupId", groupId, "name", "Group " + groupId, "kind", "USER"))
                .post(registry() + "/api/v1/groups")
                .then()
                .statusCode(201);
        for (String member : members) {
            given().auth()
                    .oauth2(admin)
                    .contentType(ContentType.JSON)
                    .body(Map.of("memberId", member))
                    .post(registry() + "/api/v1/groups/" + groupId + "/members")
                    .then()
                    .statusCode(201);
        }
    }

    /**
     * Creates an app protection policy in policy-service and returns its id. policy-service learns groups only from
     * {@code GroupMembershipChanged}, so a policy naming a group just made in device-registry is retried until the
     * group has arrived.
     */
    String createAppProtectionPolicy(String body) {
        Response[] last = new Response[1];
        await("app protection policy accepted")
                .atMost(EVENT_TIMEOUT)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    last[0] = given().auth()
                            .oauth2(admin)
                            .contentType(ContentType.JSON)
                            .body(body)
                            .post(policy() + "/api/v1/app-protection-policies");
                    return last[0].statusCode() != 422 || !last[0].asString().contains("unknown group");
                });
        last[0].then().statusCode(201);
        return last[0].path("id");
    }

    /** The protected app registers itself for the user; returns the registrationId. */
    String registerApp(String userToken, String appId, String installationId, String appVersion) {
        return given().auth()
                .oauth2(userToken)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "appId",
                        appId,
                        "installationId",
                        installationId,
                        "platform",
                        "ANDROID",
                        "osVersion",
                        "14",
                        "appVersion",
                        appVersion))
                .post(registry() + "/api/v1/app-instances")
                .then()
                .statusCode(201)
                .extract()
                .path("registrationId");
    }

    /** The protected app's check-in. */
    void reportAppState(String userToken, String registrationId, String appVersion, boolean pinSet) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("osVersion", "14");
        report.put("appVersion", appVersion);
        report.put("pinSet", pinSet);
        report.put("jailbroken", false);
        given().auth()
                .oauth2(userToken)
                .contentType(ContentType.JSON)
                .body(report)
                .post(registry() + "/api/v1/app-instances/" + registrationId + "/state")
                .then()
                .statusCode(200);
    }

    Response signIn(String userToken, String appId, String registrationId) {
        return given().auth()
                .oauth2(userToken)
                .queryParam("appId", appId)
                .queryParam("registrationId", registrationId)
                .queryParam("platform", "ANDROID")
                .get(policy() + "/api/v1/me/sign-in");
    }

    /** Signs in until policy-service, which learns licences, groups and sign-outs from events, answers {@code status}. */
    Response awaitSignIn(String userToken, String appId, String registrationId, String status) {
        Response[] last = new Response[1];
        await("sign-in status " + status)
                .atMost(EVENT_TIMEOUT)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    last[0] = signIn(userToken, appId, registrationId);
                    return last[0].statusCode() == 200 && status.equals(last[0].path("status"));
                });
        return last[0];
    }

    Response pinSet(String userToken, String appId, String registrationId, int pinLength) {
        return given().auth()
                .oauth2(userToken)
                .contentType(ContentType.JSON)
                .body(Map.of("appId", appId, "registrationId", registrationId, "pinLength", pinLength))
                .post(policy() + "/api/v1/me/pin-set");
    }

    Response subject(String subjectId) {
        return given().auth().oauth2(admin).get(compliance() + "/api/v1/subjects/" + subjectId);
    }

    Response timeline(String subjectId) {
        return given().auth().oauth2(admin).get(compliance() + "/api/v1/subjects/" + subjectId + "/timeline");
    }

    Response access(String token, String subjectId) {
        return given().auth().oauth2(token).queryParam("subjectId", subjectId).get(compliance() + "/api/v1/access");
    }

    /** {@code GET /api/v1/access?subjectId=&resource=} at compliance-service. */
    Response access(String token, String subjectId, String resource) {
        return given().auth()
                .oauth2(token)
                .queryParam("subjectId", subjectId)
                .queryParam("resource", resource)
                .get(compliance() + "/api/v1/access");
    }

    /** Asks compliance-service until its decision for the subject and resource is {@code decision}, then returns it. */
    Response awaitAccess(String token, String subjectId, String resource, String decision) {
        Response[] last = new Response[1];
        await("access of " + subjectId + " to " + resource + " " + decision)
                .atMost(EVENT_TIMEOUT)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    last[0] = access(token, subjectId, resource);
                    return last[0].statusCode() == 200 && decision.equals(last[0].path("decision"));
                });
        return last[0];
    }

    /** Waits until compliance-service shows the subject in {@code state}, then returns it. */
    Response awaitSubjectState(String subjectId, String state) {
        Response[] last = new Response[1];
        await("subject " + subjectId + " in state " + state)
                .atMost(EVENT_TIMEOUT)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    last[0] = subject(subjectId);
                    return last[0].statusCode() == 200 && state.equals(last[0].path("state"));
                });
        return last[0];
    }
}
