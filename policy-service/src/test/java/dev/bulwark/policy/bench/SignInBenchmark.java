package dev.bulwark.policy.bench;

import static io.restassured.RestAssured.given;

import dev.bulwark.contract.Envelope;
import dev.bulwark.contract.Topics;
import dev.bulwark.events.GroupKind;
import dev.bulwark.events.GroupMembershipChanged;
import dev.bulwark.events.MembershipChange;
import dev.bulwark.events.UserLicenseChanged;
import dev.bulwark.kit.security.CachingTokenVerifier;
import dev.bulwark.policy.signin.SignInAnswers;
import dev.bulwark.policy.signin.SignInResponse;
import dev.bulwark.policy.signin.SignInService;
import dev.bulwark.testsupport.BulwarkInfra;
import dev.bulwark.testsupport.TestEvents;
import dev.bulwark.testsupport.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Sign-in against its two anchors, measured in the same run (not a timed test: excluded from the default build, run
 * on demand with {@code mvn -o -pl policy-service test -Pbenchmark -Dtest=SignInBenchmark}). policy-service runs in the
 * test JVM on the test resource's real Kafka and PostgreSQL; {@code bench.users} licensed users of a targeted group
 * (published on bulwark.directory.v1 as device-registry would) have a 6-digit-PIN policy and have set their PIN, so
 * every sign-in answers {@code ENTER_PIN} (about 1 KB). A closed loop of {@code bench.connections} keep-alive
 * connections (connection i signs in as user i mod users, with its own token) drives, for {@code bench.seconds} each
 * and {@code bench.rounds} times in turn: the bare anchor ({@link BareJsonEndpoint}: 1 KB of constant JSON from a
 * Vert.x route), {@code /q/health/live}, and {@code GET /api/v1/me/sign-in}. Prints req/s, p50, p99, the ratios and
 * the load average; the load generator shares the JVM and the machine's cores with the service.
 *
 * <p>{@link #cacheMemoryPerUser} measures what the two caches keep per user: heap in use after a full GC, before and
 * after {@code bench.memory.users} verified tokens and remembered answers, scaled to 100,000 users.
 */
@Tag("benchmark")
@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "policy_service"))
class SignInBenchmark {

    private static final String APP = "com.contoso.mail";
    private static final String GROUP = "bench-group";

    private final int users = Integer.getInteger("bench.users", 64);
    private final int connections = Integer.getInteger("bench.connections", 64);
    private final double seconds = Double.parseDouble(System.getProperty("bench.seconds", "10"));
    private final int rounds = Integer.getInteger("bench.rounds", 2);
    private final int memoryUsers = Integer.getInteger("bench.memory.users", 10_000);
    private final String flameGraph = System.getProperty("bench.profile", "");

    private final String tenant = "bench-" + UUID.randomUUID().toString().substring(0, 8);

    @Inject
    SignInAnswers answers;

    @Inject
    SignInService signIn;

    @Inject
    CachingTokenVerifier tokens;

    @Test
    void signInAgainstTheBareEndpointAndLiveness() throws Exception {
        List<String> bearer = seed();
        int port = RestAssured.port;
        String signInPath = "/api/v1/me/sign-in?appId=" + APP + "&registrationId=reg-1";
        System.out.printf(
                "sign-in answer (%d bytes): %s%n",
                given().auth()
                        .oauth2(TestTokens.user(tenant, "user-0"))
                        .get(signInPath)
                        .asByteArray()
                        .length,
                given().auth()
                        .oauth2(TestTokens.user(tenant, "user-0"))
                        .get(signInPath)
                        .asString());
        List<String> headers =
                bearer.stream().map(t -> "Authorization: Bearer " + t + "\r\n").toList();

        System.out.printf("warm-up (%.0f s each); load %s%n", Math.min(seconds, 5), load());
        HttpLoad.run("warm-up bare", port, BareJsonEndpoint.PATH, List.of(), connections, Math.min(seconds, 5));
        HttpLoad.run("warm-up live", port, "/q/health/live", List.of(), connections, Math.min(seconds, 5));
        HttpLoad.run("warm-up sign-in", port, signInPath, headers, connections, Math.min(seconds, 5));

        long verifications = tokens.verifications();
        long computed = answers.computed();
        for (int round = 1; round <= rounds; round++) {
            HttpLoad.Result bare =
                    HttpLoad.run("bare JSON (1 KB)", port, BareJsonEndpoint.PATH, List.of(), connections, seconds);
            System.out.printf("round %d  %s  load %s%n", round, bare, load());
            HttpLoad.Result live =
                    HttpLoad.run("/q/health/live", port, "/q/health/live", List.of(), connections, seconds);
            System.out.printf("round %d  %s  load %s%n", round, live, load());
            profiler(round == rounds ? "start,event=cpu,interval=1ms" : "");
            HttpLoad.Result in = HttpLoad.run("GET me/sign-in", port, signInPath, headers, connections, seconds);
            profiler(round == rounds ? "stop,file=" + flameGraph : "");
            System.out.printf("round %d  %s  load %s%n", round, in, load());
            System.out.printf(
                    "round %d  sign-in / bare = %.2fx (target >= 0.5x), sign-in / live = %.2fx (target >= 2x),"
                            + " sign-in p99 %.2f ms (target <= 10 ms) at %d connections%n",
                    round,
                    in.perSecond() / bare.perSecond(),
                    in.perSecond() / live.perSecond(),
                    in.p99Micros() / 1000.0,
                    connections);
        }
        System.out.printf(
                "during the timed rounds: %d token signature checks, %d sign-in answers computed (the rest from memory)%n",
                tokens.verifications() - verifications, answers.computed() - computed);
    }

    @Test
    void cacheMemoryPerUser() throws Exception {
        // verified tokens: smallrye-jwt's principal (its claims and the raw token) and the cache's entry
        CachingTokenVerifier verifier = new CachingTokenVerifier();
        JWTAuthContextInfo info = new JWTAuthContextInfo(publicKey(), dev.bulwark.infra.DevKeys.DEFAULT_ISSUER);
        List<String> minted = new ArrayList<>(memoryUsers);
        for (int i = 0; i < memoryUsers; i++) {
            minted.add(TestTokens.user(tenant, "memory-user-" + i));
        }
        long before = heapAfterGc();
        for (String token : minted) {
            verifier.parse(token, info);
        }
        int tokenChars = minted.get(0).length();
        minted = null;
        long tokenBytes = heapAfterGc() - before;
        System.out.printf(
                "verified-token cache: %,d tokens (%d characters each) keep %,d bytes = %,d bytes per token"
                        + " -> %.1f MB per 100,000 users (measured: heap after full GC, before and after)%n",
                verifier.cache().size(),
                tokenChars,
                tokenBytes,
                tokenBytes / memoryUsers,
                tokenBytes / (double) memoryUsers * 100_000 / 1e6);

        // remembered answers: a real ENTER_PIN answer of one policy, for memoryUsers users and installations
        seedOne();
        SignInService.Attempt model = attempt("user-0", "reg-1");
        SignInResponse real = signIn.signIn(model);
        long sizeBefore = answers.size();
        long beforeAnswers = heapAfterGc();
        for (int i = 0; i < memoryUsers; i++) {
            SignInService.Attempt attempt = attempt("memory-user-" + i, "reg-memory-" + i);
            SignInResponse answer = new SignInResponse(
                    attempt.userId(),
                    real.appId(),
                    attempt.registrationId(),
                    real.status(),
                    real.nextStep(),
                    real.message(),
                    real.policy(),
                    real.appliedPolicies(),
                    real.conditionalAccess(),
                    real.checkAgainAfter(),
                    real.checkAgainAt(),
                    real.signOut());
            answers.remember(attempt, answers.versionsOf(attempt), false, answer);
        }
        long answerBytes = heapAfterGc() - beforeAnswers;
        System.out.printf(
                "sign-in answers: %,d answers (%d bytes of JSON each) keep %,d bytes = %,d bytes per answer"
                        + " -> %.1f MB per 100,000 users with one app each (measured as above)%n",
                answers.size() - sizeBefore,
                signIn.signInAsJson(model).length,
                answerBytes,
                answerBytes / memoryUsers,
                answerBytes / (double) memoryUsers * 100_000 / 1e6);
    }

    private SignInService.Attempt attempt(String user, String registration) {
        return new SignInService.Attempt(
                tenant,
                user,
                APP,
                registration,
                Optional.empty(),
                Optional.of(Instant.now().minusSeconds(5)));
    }

    /** The benchmark users, licensed, in the targeted group, with the policy and their PIN set; their tokens. */
    private List<String> seed() {
        for (int i = 0; i < users; i++) {
            directory("user-" + i);
        }
        createPolicy();
        List<String> bearer = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            String token = TestTokens.user(tenant, "user-" + i);
            Awaitility.await().atMost(Duration.ofMinutes(2)).until(() -> "PROTECTED"
                    .equals(given().auth()
                            .oauth2(token)
                            .queryParam("appId", APP)
                            .queryParam("registrationId", "reg-1")
                            .get("/api/v1/me/sign-in")
                            .path("status")));
            given().auth()
                    .oauth2(token)
                    .contentType(ContentType.JSON)
                    .body("{\"appId\":\"" + APP + "\",\"registrationId\":\"reg-1\",\"pinLength\":6}")
                    .post("/api/v1/me/pin-set")
                    .then()
                    .statusCode(200);
            bearer.add(token);
        }
        return bearer;
    }

    private void seedOne() {
        directory("user-0");
        createPolicy();
        Awaitility.await().atMost(Duration.ofMinutes(2)).until(() -> signIn.signIn(attempt("user-0", "reg-1"))
                .status()
                .name()
                .equals("PROTECTED"));
    }

    private void createPolicy() {
        String body = "{\"name\":\"Mail\",\"platform\":\"ANDROID\",\"appIds\":[\"" + APP + "\"],"
                + "\"settings\":{\"pinRequired\":true,\"pinMinimumLength\":6},"
                + "\"targets\":[{\"kind\":\"USER_GROUP\",\"groupId\":\"" + GROUP + "\"}]}";
        Awaitility.await().atMost(Duration.ofMinutes(2)).until(() -> {
            int status = given().auth()
                    .oauth2(TestTokens.admin(tenant))
                    .contentType(ContentType.JSON)
                    .body(body)
                    .post("/api/v1/app-protection-policies")
                    .statusCode();
            return status == 201;
        });
    }

    private void directory(String user) {
        TestEvents.publish(
                BulwarkInfra.kafkaBootstrap(),
                Topics.DIRECTORY,
                user,
                UserLicenseChanged.newBuilder()
                        .setEventId(Envelope.newEventId())
                        .setOccurredAt(Instant.now())
                        .setTenantId(tenant)
                        .setUserId(user)
                        .setLicensed(true)
                        .setSku("BULWARK_E3")
                        .build());
        TestEvents.publish(
                BulwarkInfra.kafkaBootstrap(),
                Topics.DIRECTORY,
                user,
                GroupMembershipChanged.newBuilder()
                        .setEventId(Envelope.newEventId())
                        .setOccurredAt(Instant.now())
                        .setTenantId(tenant)
                        .setGroupId(GROUP)
                        .setGroupKind(GroupKind.USER)
                        .setMemberId(user)
                        .setChange(MembershipChange.ADDED)
                        .build());
    }

    private static PublicKey publicKey() throws Exception {
        String pem = Files.readString(
                        Path.of(BulwarkInfra.keys().publicKeyPath().toString()))
                .replaceAll("-----[A-Z ]+-----", "")
                .replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA")
                .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(pem)));
    }

    /** {@code bench.profile=/path/flame.html}: async-profiler's CPU flame graph of the last sign-in round. */
    private void profiler(String command) throws ReflectiveOperationException, java.io.IOException {
        if (flameGraph.isBlank() || command.isEmpty()) {
            return;
        }
        Files.createDirectories(Path.of(flameGraph).toAbsolutePath().getParent());
        Class<?> asyncProfiler = Class.forName("one.profiler.AsyncProfiler");
        Object profiler = asyncProfiler.getMethod("getInstance").invoke(null);
        System.out.printf(
                "async-profiler %s: %s%n",
                command, asyncProfiler.getMethod("execute", String.class).invoke(profiler, command));
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
