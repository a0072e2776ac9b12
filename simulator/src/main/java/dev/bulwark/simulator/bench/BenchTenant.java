package dev.bulwark.simulator.bench;

import dev.bulwark.simulator.Rest;
import dev.bulwark.simulator.Tokens;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One tenant of the bench, set up as an admin would and joined as devices and apps would, over device-registry's and
 * policy-service's REST APIs: licensed users (one NDJSON import), an Android device compliance policy (OS 14+,
 * encrypted, passcode) and a level-2 app protection policy for the bench app, both with remediation off (a failure is
 * an immediate SignOutRequired) or on with a deadline; then enrolled devices and registered app instances.
 */
final class BenchTenant {

    static final String APP_ID = "com.contoso.mail";
    static final String APP_VERSION = "5.0.0";

    private final String tenantId;
    private final URI registry;
    private final URI policy;
    private final Tokens tokens;
    private final Rest rest;
    private final List<String> users = new ArrayList<>();

    BenchTenant(String tenantId, URI registry, URI policy, Tokens tokens, Rest rest) {
        this.tenantId = tenantId;
        this.registry = registry;
        this.policy = policy;
        this.tokens = tokens;
        this.rest = rest;
    }

    String tenantId() {
        return tenantId;
    }

    /** Users, then both policies; {@code remediation} empty = off (sign-out at once), else on with that deadline. */
    void setUp(int userCount, Optional<Duration> remediation) {
        StringBuilder feed = new StringBuilder(userCount * 80);
        for (int i = 0; i < userCount; i++) {
            String user = String.format("u%06d", i);
            users.add(user);
            feed.append("{\"type\":\"user\",\"userId\":\"")
                    .append(user)
                    .append("\",\"displayName\":\"Bench ")
                    .append(user)
                    .append("\",\"licensed\":true}\n");
        }
        String admin = tokens.admin(tenantId);
        expect(
                "directory import",
                rest.postRaw(
                        registry,
                        "/api/v1/imports",
                        admin,
                        "application/x-ndjson",
                        feed.toString().getBytes(StandardCharsets.UTF_8),
                        Duration.ofMinutes(10)));
        String grace = remediation.map(Duration::toString).orElse("PT0S");
        expect(
                "device compliance policy",
                rest.post(
                        policy,
                        "/api/v1/compliance-policies",
                        admin,
                        Map.of(
                                "name", "Bench phones: OS 14+, encrypted, passcode",
                                "platform", "ANDROID",
                                "rules",
                                        Map.of(
                                                "minimumOsVersion", "14",
                                                "encryptionRequired", true,
                                                "passcodeRequired", true,
                                                "jailbrokenBlocked", true,
                                                "requiredApps", List.of()),
                                "actions", List.of(Map.of("action", "MARK_NON_COMPLIANT", "after", grace)),
                                "targets", List.of(Map.of("kind", "ALL_USERS")))));
        Map<String, Object> settings = remediation.isPresent()
                ? Map.of("remediationEnabled", true, "remediationDeadline", grace)
                : Map.of("remediationEnabled", false);
        expect(
                "app protection policy",
                rest.post(
                        policy,
                        "/api/v1/app-protection-policies",
                        admin,
                        Map.of(
                                "name",
                                "Bench mail (level 2)",
                                "platform",
                                "ANDROID",
                                "appIds",
                                List.of(APP_ID),
                                "templateId",
                                "level-2-enhanced",
                                "settings",
                                settings,
                                "targets",
                                List.of(Map.of("kind", "ALL_USERS")))));
        // The users have signed in at their identity provider before they join: their tokens are minted here, not on
        // the joins' clock. An RS256 signature per user was 30 % of the bench's CPU in a storm of 10,000 (5,000 users),
        // load on the stack's two cores that no identity provider puts on a Bulwark host. Devices and app instances
        // check in with the credential their enrollment or registration answered with (device-registry signs it).
        users.forEach(user -> tokens.user(tenantId, user));
    }

    /**
     * Enrolls {@code managed} devices and registers {@code unmanaged} app instances ({@code concurrency} at a time),
     * users in turn; the ones refused are left out (and counted in {@code refused}).
     */
    List<BenchSubject> join(int managed, int unmanaged, int concurrency, String prefix, AtomicInteger refused)
            throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        List<BenchSubject> joined = Collections.synchronizedList(new ArrayList<>());
        try {
            // managed and unmanaged interleaved, so both kinds share the same stretch of time
            List<Boolean> kinds = new ArrayList<>();
            for (int i = 0; i < Math.max(managed, unmanaged); i++) {
                if (i < managed) {
                    kinds.add(true);
                }
                if (i < unmanaged) {
                    kinds.add(false);
                }
            }
            List<Future<?>> work = new ArrayList<>();
            for (int i = 0; i < kinds.size(); i++) {
                int n = i;
                work.add(pool.submit(
                        () -> joinOne(n, kinds.get(n), prefix).ifPresentOrElse(joined::add, refused::incrementAndGet)));
            }
            for (Future<?> f : work) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    refused.incrementAndGet();
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return new ArrayList<>(joined);
    }

    /** Joins one subject: enroll (managed) or register (unmanaged) for user n mod users. */
    Optional<BenchSubject> joinOne(int n, boolean managed, String prefix) {
        String user = users.get(n % users.size());
        String userToken = tokens.user(tenantId, user);
        if (managed) {
            Rest.Response r = rest.post(
                    registry,
                    "/api/v1/devices",
                    userToken,
                    Map.of(
                            "userId", user,
                            "platform", "ANDROID",
                            "osVersion", "15",
                            "model", "Pixel 8",
                            "hardwareId", prefix + "-" + n,
                            "ownership", "CORPORATE"));
            String id = r.text("deviceId");
            String credential = r.body().path("credential").path("token").asText("");
            return r.ok() && !id.isEmpty() && !credential.isEmpty()
                    ? Optional.of(new BenchSubject(tenantId, user, id, true, credential))
                    : Optional.empty();
        }
        Rest.Response r = rest.post(
                registry,
                "/api/v1/app-instances",
                userToken,
                Map.of(
                        "appId",
                        APP_ID,
                        "installationId",
                        prefix + "-" + n,
                        "platform",
                        "ANDROID",
                        "osVersion",
                        "15",
                        "appVersion",
                        APP_VERSION));
        String id = r.text("registrationId");
        String credential = r.body().path("credential").path("token").asText("");
        return r.ok() && !id.isEmpty() && !credential.isEmpty()
                ? Optional.of(new BenchSubject(tenantId, user, id, false, credential))
                : Optional.empty();
    }

    private static void expect(String what, Rest.Response r) {
        if (!r.ok()) {
            throw new IllegalStateException(what + " refused: " + r.status() + " " + r.body());
        }
    }
}
