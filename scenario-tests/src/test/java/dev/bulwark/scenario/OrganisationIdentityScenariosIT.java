package dev.bulwark.scenario;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.contract.Topics;
import dev.bulwark.deploy.BulwarkService;
import dev.bulwark.deploy.IdentityProvider;
import dev.bulwark.deploy.RunningStack;
import dev.bulwark.events.SignOutRequired;
import dev.bulwark.idp.DemoRealm;
import dev.bulwark.idp.KeycloakAccounts;
import dev.bulwark.idp.KeycloakServer;
import dev.bulwark.testsupport.TopicProbe;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stack run against a real identity provider ({@code ./bulwark up --idp keycloak}): Keycloak from Maven Central,
 * its realm imported from the repository, and every service verifying people's tokens from Keycloak's discovery and
 * JWKS, and the sign-out bridge carrying SignOutRequired out at Keycloak. A separate class, so the rest of the
 * scenarios do not pay Keycloak's start.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OrganisationIdentityScenariosIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MAIL = "com.contoso.mail";

    @TempDir
    static Path dataDir;

    private static RunningStack stack;
    private static KeycloakServer keycloak;
    private static ScenarioTenant demo;
    private static String registration;

    @BeforeAll
    static void startStack() {
        stack = ScenarioStack.start(
                dataDir,
                EnumSet.of(
                        BulwarkService.DEVICE_REGISTRY,
                        BulwarkService.POLICY_SERVICE,
                        BulwarkService.COMPLIANCE_SERVICE,
                        BulwarkService.GATEWAY,
                        BulwarkService.SIGNOUT_BRIDGE),
                config -> config.withIdentityProvider(IdentityProvider.KEYCLOAK));
        keycloak = stack.keycloak().orElseThrow();
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void anAdminSignedInAtKeycloakManagesTheTenantTheirTokenNames() {
        String ada = password("ada");
        assertThat(claims(ada).path("iss").asText()).isEqualTo(keycloak.issuer());
        demo = new ScenarioTenant(stack, DemoRealm.TENANT, ada);

        demo.createUser("alice");
        demo.createUser("bob");
        demo.licence("alice");
        demo.createUserGroup("sales", "alice");
        String policyId = demo.createAppProtectionPolicy(
                """
                {"name": "Mail PIN", "platform": "ANDROID", "appIds": ["%s"],
                 "settings": {"pinRequired": true, "pinCharacterSet": "NUMERIC", "pinMinimumLength": 6},
                 "targets": [{"kind": "USER_GROUP", "groupId": "sales"}]}
                """
                        .formatted(MAIL));
        assertThat(policyId).isNotBlank();

        // a person without the admin role at Keycloak is not an admin here
        given().auth()
                .oauth2(password("bob"))
                .contentType(ContentType.JSON)
                .body(Map.of("userId", "mallory", "displayName", "Mallory", "email", "mallory@example.com"))
                .post(demo.registry() + "/api/v1/users")
                .then()
                .statusCode(403);
    }

    @Test
    @Order(2)
    void aUserSignedInAtKeycloakSignsInToAProtectedAppAndGetsThePinStep() {
        String alice = password("alice");
        registration = demo.registerApp(alice, MAIL, "phone-alice", "5.1");
        Response answer = demo.awaitSignIn(alice, MAIL, registration, "PROTECTED");
        assertThat(answer.<String>path("userId")).isEqualTo("alice");
        assertThat(answer.<String>path("nextStep")).isEqualTo("SET_PIN");
        assertThat(answer.<Integer>path("policy.pinMinimumLength")).isEqualTo(6);
    }

    @Test
    @Order(3)
    void aTokenOfAnotherRealmIsRefused() {
        String other = masterAdminToken();
        assertThat(claims(other).path("iss").asText()).isEqualTo(keycloak.issuer("master"));

        demo.signIn(other, MAIL, registration).then().statusCode(401);
        given().auth()
                .oauth2(other)
                .get(demo.registry() + "/api/v1/users")
                .then()
                .statusCode(401);
    }

    @Test
    @Order(4)
    void aKeyRotatedAtKeycloakIsPickedUpWithoutARestart() throws Exception {
        String before = header(password("alice")).path("kid").asText();
        KeycloakAccounts.demo(keycloak).addSigningKey();

        String alice = password("alice");
        assertThat(header(alice).path("kid").asText()).isNotEqualTo(before);
        Response answer = demo.signIn(alice, MAIL, registration);
        assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(200);
        assertThat(answer.<String>path("nextStep")).isEqualTo("SET_PIN");
    }

    @Test
    @Order(5)
    void aNonCompliantCheckInEndsTheUsersSessionsAtKeycloakSoTheirRefreshTokenIsRefusedWithinSeconds()
            throws Exception {
        KeycloakAccounts accounts = KeycloakAccounts.demo(keycloak);
        String run = Long.toString(System.nanoTime(), 36);
        // a person whose device stays compliant: nothing may end their session
        String steady = "steady-" + run;
        Enrolled control = enrolled(accounts, steady);
        List<Enrolled> people = new ArrayList<>();
        for (int i = 0; i < SIGN_OUTS; i++) {
            people.add(enrolled(accounts, "leaver-" + i + "-" + run));
        }
        checkIn(control, "14");

        // each check-in's 2xx starts its clock; one sweeper asks Keycloak, round after round, whose refresh token
        // is refused now (a sweep is the measurement's resolution)
        Map<String, Long> checkedIn = new ConcurrentHashMap<>();
        Map<String, Long> refusedAfter = new ConcurrentHashMap<>();
        AtomicLong sweeps = new AtomicLong();
        AtomicLong sweepNanos = new AtomicLong();
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<RuntimeException> sweepFailure = new AtomicReference<>();
        Thread sweeper = new Thread(() -> {
            while (!done.get()) {
                long begin = System.nanoTime();
                for (Enrolled person : people) {
                    Long at = checkedIn.get(person.user());
                    try {
                        if (at != null
                                && !refusedAfter.containsKey(person.user())
                                && !accounts.refreshes(DemoRealm.CLI_CLIENT, person.refreshToken())) {
                            refusedAfter.put(person.user(), System.nanoTime() - at);
                        }
                    } catch (RuntimeException e) {
                        sweepFailure.set(e);
                    }
                }
                sweeps.incrementAndGet();
                sweepNanos.addAndGet(System.nanoTime() - begin);
                LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
            }
        });
        sweeper.start();
        try {
            for (Enrolled person : people) {
                checkIn(person, "12");
                checkedIn.put(person.user(), System.nanoTime());
                Thread.sleep(CHECK_IN_SPACING.toMillis());
            }
            await().atMost(Duration.ofSeconds(90))
                    .failFast(() -> sweepFailure.get() != null)
                    .until(() -> refusedAfter.size() == SIGN_OUTS);
        } catch (org.awaitility.core.ConditionTimeoutException | org.awaitility.core.TerminalFailureException e) {
            throw new AssertionError(
                    refusedAfter.size() + " of " + SIGN_OUTS + " refresh tokens refused; not refused: "
                            + people.stream()
                                    .filter(p -> !refusedAfter.containsKey(p.user()))
                                    .map(p -> p.user() + " (sessions now " + accounts.sessionCount(p.keycloakId())
                                            + ", refreshes "
                                            + accounts.refreshes(DemoRealm.CLI_CLIENT, p.refreshToken())
                                            + ")")
                                    .toList()
                            + "; sweeper: " + sweepFailure.get()
                            + "; SignOutRequired on the topic: " + signOutsOf(people) + "; the bridge's log ends:\n"
                            + logTail(BulwarkService.SIGNOUT_BRIDGE),
                    e);
        } finally {
            done.set(true);
            sweeper.join();
        }

        assertThat(accounts.refreshes(DemoRealm.CLI_CLIENT, control.refreshToken()))
                .as("the compliant person's session is left alone")
                .isTrue();
        List<Long> millis = refusedAfter.values().stream()
                .map(nanos -> Duration.ofNanos(nanos).toMillis())
                .sorted()
                .toList();
        String report = String.format(
                "sign-out at the IdP: %d sign-outs, from the check-in's 2xx to Keycloak refusing the refresh token:"
                        + " p50 %d ms, p90 %d ms, p99 %d ms, max %d ms (check-ins %d ms apart; sweep resolution"
                        + " ~%d ms over %d sweeps)%n",
                millis.size(),
                percentile(millis, 50),
                percentile(millis, 90),
                percentile(millis, 99),
                millis.get(millis.size() - 1),
                CHECK_IN_SPACING.toMillis(),
                Duration.ofNanos(sweepNanos.get() / Math.max(1, sweeps.get())).toMillis(),
                sweeps.get());
        System.out.print(report);
        Files.writeString(
                Path.of("target", "signout-at-idp-latency.txt"),
                report,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        // the product's promise is seconds (Intune: its check-in interval)
        assertThat(percentile(millis, 99)).as(report).isLessThan(10_000);
    }

    /** How many people are signed out in the measurement; the issue asks for at least 50. */
    private static final int SIGN_OUTS = 50;

    private static final Duration CHECK_IN_SPACING = Duration.ofMillis(150);

    /** A person at Keycloak and in Bulwark, signed in once, with a managed phone that holds its own credential. */
    private record Enrolled(String user, String keycloakId, String refreshToken, ScenarioTenant.ManagedPhone phone) {}

    private static Enrolled enrolled(KeycloakAccounts accounts, String user) {
        String keycloakId = accounts.createUser(user, "leaver-password");
        demo.createUser(user);
        String refresh = accounts.signIn(DemoRealm.CLI_CLIENT, user, "leaver-password", false)
                .refreshToken();
        return new Enrolled(user, keycloakId, refresh, demo.enrollPhone(user));
    }

    /** The phone checks in for itself with its enrollment credential; Android 12 is below the baseline's 14. */
    private static void checkIn(Enrolled person, String osVersion) {
        demo.checkIn(person.phone(), osVersion);
    }

    /** How many of these people's SignOutRequired events are on the topic now. */
    private static long signOutsOf(List<Enrolled> people) {
        java.util.Set<String> users = people.stream().map(Enrolled::user).collect(java.util.stream.Collectors.toSet());
        try (TopicProbe probe = TopicProbe.fromBeginning(stack.bootstrapServers(), Topics.SIGNOUT)) {
            probe.assertNone(SignOutRequired.class, e -> false, Duration.ofSeconds(3));
            return probe.all().stream()
                    .filter(r -> r.event() instanceof SignOutRequired signOut && users.contains(signOut.getUserId()))
                    .count();
        }
    }

    private static String logTail(BulwarkService service) {
        return stack.services().stream()
                .filter(p -> p.service() == service)
                .findFirst()
                .map(p -> {
                    try {
                        List<String> lines = Files.readAllLines(p.log());
                        Files.copy(p.log(), Path.of("target", service.moduleName() + "-" + System.nanoTime() + ".log"));
                        return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
                    } catch (java.io.IOException e) {
                        return "(" + e + ")";
                    }
                })
                .orElse("(not running)");
    }

    private static long percentile(List<Long> sorted, int percent) {
        int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    /** An access token of a demo person, by the password grant of the realm's public client. */
    private static String password(String username) {
        DemoRealm.DemoUser user = DemoRealm.USERS.stream()
                .filter(u -> u.username().equals(username))
                .findFirst()
                .orElseThrow();
        return given().contentType(ContentType.URLENC)
                .formParam("grant_type", "password")
                .formParam("client_id", DemoRealm.CLI_CLIENT)
                .formParam("username", user.username())
                .formParam("password", user.password())
                .formParam("scope", "openid")
                .post(keycloak.tokenEndpoint())
                .then()
                .statusCode(200)
                .extract()
                .<String>path("access_token");
    }

    /** A token of Keycloak's master realm (the stack's admin client): genuine, but of a realm Bulwark does not trust. */
    private static String masterAdminToken() {
        KeycloakServer.AdminClient master = keycloak.adminClient();
        return given().contentType(ContentType.URLENC)
                .formParam("grant_type", "client_credentials")
                .formParam("client_id", master.clientId())
                .formParam("client_secret", master.secret())
                .post(keycloak.issuer("master") + "/protocol/openid-connect/token")
                .then()
                .statusCode(200)
                .extract()
                .<String>path("access_token");
    }

    private static JsonNode claims(String jwt) {
        return part(jwt, 1);
    }

    private static JsonNode header(String jwt) {
        return part(jwt, 0);
    }

    private static JsonNode part(String jwt, int index) {
        try {
            return JSON.readTree(
                    new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[index]), StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("not a JWT", e);
        }
    }
}
