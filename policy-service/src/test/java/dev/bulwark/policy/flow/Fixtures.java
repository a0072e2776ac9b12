package dev.bulwark.policy.flow;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import dev.bulwark.contract.Envelope;
import dev.bulwark.contract.Topics;
import dev.bulwark.events.GroupKind;
import dev.bulwark.events.GroupMembershipChanged;
import dev.bulwark.events.ManagementType;
import dev.bulwark.events.MembershipChange;
import dev.bulwark.events.SignOutReason;
import dev.bulwark.events.SignOutRequired;
import dev.bulwark.events.UserLicenseChanged;
import dev.bulwark.testsupport.BulwarkInfra;
import dev.bulwark.testsupport.TestEvents;
import dev.bulwark.testsupport.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What the flow tests share: a fresh tenant per test, directory and sign-out events published as device-registry and
 * compliance-service would, and calls of the REST API.
 */
final class Fixtures {

    static final Duration EVENT_TIMEOUT = Duration.ofSeconds(30);

    /** The app installation (registrationId) sign-ins and PIN reports use unless a test names another. */
    static final String REGISTRATION = "reg-1";

    final String tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);

    String admin() {
        return TestTokens.admin(tenant);
    }

    String user(String userId) {
        return TestTokens.user(tenant, userId);
    }

    void licence(String userId, boolean licensed) {
        TestEvents.publish(
                BulwarkInfra.kafkaBootstrap(),
                Topics.DIRECTORY,
                userId,
                UserLicenseChanged.newBuilder()
                        .setEventId(Envelope.newEventId())
                        .setOccurredAt(Instant.now())
                        .setTenantId(tenant)
                        .setUserId(userId)
                        .setLicensed(licensed)
                        .setSku(licensed ? "BULWARK_E3" : null)
                        .build());
    }

    void membership(String groupId, String userId, MembershipChange change) {
        TestEvents.publish(
                BulwarkInfra.kafkaBootstrap(),
                Topics.DIRECTORY,
                userId,
                GroupMembershipChanged.newBuilder()
                        .setEventId(Envelope.newEventId())
                        .setOccurredAt(Instant.now())
                        .setTenantId(tenant)
                        .setGroupId(groupId)
                        .setGroupKind(GroupKind.USER)
                        .setMemberId(userId)
                        .setChange(change)
                        .build());
    }

    void deviceGroupMember(String groupId, String deviceId) {
        TestEvents.publish(
                BulwarkInfra.kafkaBootstrap(),
                Topics.DIRECTORY,
                deviceId,
                GroupMembershipChanged.newBuilder()
                        .setEventId(Envelope.newEventId())
                        .setOccurredAt(Instant.now())
                        .setTenantId(tenant)
                        .setGroupId(groupId)
                        .setGroupKind(GroupKind.DEVICE)
                        .setMemberId(deviceId)
                        .setChange(MembershipChange.ADDED)
                        .build());
    }

    void join(String groupId, String userId) {
        membership(groupId, userId, MembershipChange.ADDED);
    }

    /** compliance-service's sign-out of the app instance the other calls here sign in with ({@link #REGISTRATION}). */
    SignOutRequired signOut(String userId, String appId, boolean selectiveWipe) {
        return signOut(userId, appId, selectiveWipe, ManagementType.UNMANAGED, REGISTRATION);
    }

    /** A sign-out of {@code subjectId}: a deviceId when MANAGED, a registrationId when UNMANAGED. */
    SignOutRequired signOut(String userId, String appId, boolean selectiveWipe, ManagementType type, String subjectId) {
        SignOutRequired event = SignOutRequired.newBuilder()
                .setEventId(Envelope.newEventId())
                .setOccurredAt(Instant.now())
                .setTenantId(tenant)
                .setUserId(userId)
                .setSubjectId(subjectId)
                .setManagementType(type)
                .setAppIds(List.of(appId))
                .setReason(SignOutReason.REMEDIATION_DISABLED)
                .setSelectiveWipe(selectiveWipe)
                .setUserMessage("Your organization's policy requires you to sign back in. Your account in this app is"
                        + " not compliant: a PIN is required.")
                .build();
        TestEvents.publish(BulwarkInfra.kafkaBootstrap(), Topics.SIGNOUT, userId, event);
        return event;
    }

    /** Creates an app protection policy, waiting until the groups it names are known from directory events. */
    String createAppPolicy(String json) {
        Response[] last = new Response[1];
        await("policy accepted once its groups are known").atMost(EVENT_TIMEOUT).until(() -> {
            last[0] = given().auth()
                    .oauth2(admin())
                    .contentType(ContentType.JSON)
                    .body(json)
                    .post("/api/v1/app-protection-policies");
            return last[0].statusCode() != 422 || !last[0].asString().contains("unknown group");
        });
        last[0].then().statusCode(201);
        return last[0].path("id");
    }

    Response signIn(String token, String appId) {
        return signIn(token, appId, REGISTRATION);
    }

    Response signIn(String token, String appId, String registrationId) {
        return given().auth()
                .oauth2(token)
                .queryParam("appId", appId)
                .queryParam("registrationId", registrationId)
                .get("/api/v1/me/sign-in");
    }

    /** Waits until the user's sign-in to {@code appId} has {@code status}, then returns it. */
    Response awaitSignIn(String userId, String appId, String status) {
        return awaitSignInWith(user(userId), appId, status);
    }

    /** As {@link #awaitSignIn}, always with the same token (a sign-out is cleared by a newer token). */
    Response awaitSignInWith(String token, String appId, String status) {
        return awaitSignInWith(token, appId, REGISTRATION, status);
    }

    /** As {@link #awaitSignInWith(String, String, String)}, on app installation {@code registrationId}. */
    Response awaitSignInWith(String token, String appId, String registrationId, String status) {
        Response[] last = new Response[1];
        await("sign-in status " + status + " on " + registrationId)
                .atMost(EVENT_TIMEOUT)
                .until(() -> {
                    last[0] = signIn(token, appId, registrationId);
                    return status.equals(last[0].path("status"));
                });
        return last[0];
    }

    Response pinSet(String token, String appId, int length) {
        return given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body("{\"appId\":\"" + appId + "\",\"registrationId\":\"" + REGISTRATION + "\",\"pinLength\":" + length
                        + "}")
                .post("/api/v1/me/pin-set");
    }

    /** An app protection policy body for {@code appId} targeting the given JSON targets, with JSON settings. */
    static String appPolicy(String appId, String templateId, String settings, String targets) {
        return """
                {"name": "Mail protection", "platform": "ANDROID", "appIds": ["%s"], %s
                 "settings": %s, "targets": %s}
                """
                .formatted(
                        appId, templateId == null ? "" : "\"templateId\": \"" + templateId + "\",", settings, targets);
    }

    static String includeGroup(String groupId) {
        return "{\"kind\": \"USER_GROUP\", \"groupId\": \"" + groupId + "\"}";
    }

    static String excludeGroup(String groupId) {
        return "{\"kind\": \"USER_GROUP\", \"groupId\": \"" + groupId + "\", \"excluded\": true}";
    }

    static String allUsers() {
        return "{\"kind\": \"ALL_USERS\"}";
    }

    /** Waits until the wall clock is in a later second than {@code instant}: JWT iat has second precision. */
    static void awaitNextSecondAfter(Instant instant) {
        await().atMost(Duration.ofSeconds(3))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> Instant.now().getEpochSecond() > instant.getEpochSecond());
    }
}
