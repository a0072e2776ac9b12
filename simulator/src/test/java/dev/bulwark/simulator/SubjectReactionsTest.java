package dev.bulwark.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.bulwark.events.ConfigurationProfileType;
import dev.bulwark.events.ManagementType;
import dev.bulwark.events.SignOutReason;
import dev.bulwark.events.SignOutRequired;
import dev.bulwark.simulator.Fleet.AccountPlan;
import dev.bulwark.simulator.Fleet.AppPlan;
import dev.bulwark.simulator.Fleet.DevicePlan;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a simulated device and app account react to commands and sign-outs, seen in the requests they send. A small
 * HTTP server on a free port plays device-registry and policy-service: it answers as they do and records each call.
 */
class SubjectReactionsTest {

    private static final String TENANT = "t1";
    private static final String MAIL = "com.contoso.mail";

    record Call(String path, JsonNode body, String authorization) {}

    @TempDir
    Path keys;

    private HttpServer server;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    /** Status to answer per path (default 200). */
    private final Map<String, Integer> statusFor = new ConcurrentHashMap<>();
    /** Registrations answered so far: each gets a credential of its own. */
    private final java.util.concurrent.atomic.AtomicInteger registrations =
            new java.util.concurrent.atomic.AtomicInteger();
    /** Body to answer per path, over the defaults below. */
    private final Map<String, String> answerFor = new ConcurrentHashMap<>();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            byte[] in = exchange.getRequestBody().readAllBytes();
            calls.add(new Call(
                    path,
                    in.length == 0 ? null : Rest.JSON.readTree(in),
                    exchange.getRequestHeaders().getFirst("Authorization")));
            String answer = answerFor.containsKey(path)
                    ? answerFor.get(path)
                    : switch (path) {
                        case "/api/v1/devices" -> "{\"deviceId\":\"dev-1\",\"credential\":{\"token\":\"cred-1\"}}";
                        case "/api/v1/app-instances" -> "{\"registrationId\":\"reg-1\",\"credential\":{\"token\":\"app-cred-"
                                + registrations.incrementAndGet() + "\"}}";
                        case "/api/v1/me/sign-in" -> "{\"status\":\"OK\",\"nextStep\":\"SET_PIN\"}";
                        default -> "{}";
                    };
            byte[] out = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(statusFor.getOrDefault(path, 200), out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private SimContext context(String... extra) {
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        List<String> args = new ArrayList<>(
                List.of("--registry", base, "--policy", base, "--keys-dir", keys.toString(), "--run-id", "t"));
        args.addAll(List.of(extra));
        SimulatorOptions options = OptionsParser.parse(args);
        return new SimContext(options, new Rest(), new Tokens(options.keysDir(), options.issuer()), new RunStats());
    }

    private static ManagedDevice device() {
        return new ManagedDevice(
                new DevicePlan(TENANT, "alice", "hw-1", FleetPlatform.ANDROID, "Pixel 8", true, false, 0), 1);
    }

    private static AppAccount account(boolean ignoresPinPrompt) {
        AppPlan app = new AppPlan(
                TENANT,
                "install-1",
                MAIL,
                FleetPlatform.IOS,
                "5.0.0",
                List.of(new AccountPlan("bob", ignoresPinPrompt)),
                0);
        return new AppAccount(app, app.accounts().get(0), 2);
    }

    private List<JsonNode> reports(String path) {
        return calls.stream().filter(c -> c.path().equals(path)).map(Call::body).toList();
    }

    private static SignOutRequired signOut(String subjectId, String userId, boolean wipe, List<String> appIds) {
        return SignOutRequired.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(Instant.now())
                .setTenantId(TENANT)
                .setUserId(userId)
                .setSubjectId(subjectId)
                .setManagementType(ManagementType.UNMANAGED)
                .setAppIds(appIds)
                .setReason(SignOutReason.REMEDIATION_FAILED)
                .setSelectiveWipe(wipe)
                .setUserMessage("Your organization requires you to sign back in.")
                .setViolations(List.of())
                .setCauseEventId(null)
                .build();
    }

    @Test
    void aDeviceReportsEachProfileOutcomeOnceInTheCheckInThatFollowsTheCommand() {
        SimContext ctx = context("--profile-success", "1");
        ManagedDevice device = device();
        assertThat(device.join(ctx)).isTrue();
        String statePath = "/api/v1/devices/dev-1/state";

        device.applyProfile(ctx, "cmd-1", "prof-wifi", 3, ConfigurationProfileType.WIFI);
        List<JsonNode> sent = reports(statePath);
        assertThat(sent).hasSize(1);
        JsonNode applied = sent.get(0).path("configurationProfiles");
        assertThat(applied).hasSize(1);
        assertThat(applied.get(0).path("profileId").asText()).isEqualTo("prof-wifi");
        assertThat(applied.get(0).path("version").asLong()).isEqualTo(3);
        assertThat(applied.get(0).path("state").asText()).isEqualTo("APPLIED");
        assertThat(applied.get(0).has("reason")).isFalse();
        assertThat(device.profiles()).containsEntry("prof-wifi", 3L);

        // A redelivered command is not applied (nor reported) again.
        device.applyProfile(ctx, "cmd-1", "prof-wifi", 3, ConfigurationProfileType.WIFI);
        assertThat(reports(statePath)).hasSize(1);

        device.removeProfile(ctx, "cmd-2", "prof-wifi");
        JsonNode removed = reports(statePath).get(1).path("configurationProfiles");
        assertThat(removed).hasSize(1);
        assertThat(removed.get(0).path("state").asText()).isEqualTo("REMOVED");
        assertThat(removed.get(0).path("version").asLong()).isEqualTo(3);
        assertThat(device.profiles()).isEmpty();

        device.report(ctx);
        assertThat(reports(statePath).get(2).path("configurationProfiles")).isEmpty();
        assertThat(ctx.stats().actions())
                .containsEntry("profilesApplied", 1L)
                .containsEntry("profilesRemoved", 1L)
                .doesNotContainKey("profilesFailed");
    }

    @Test
    void aDeviceChecksInWithTheCredentialItsEnrollmentGaveAndThenWithTheOneACheckInRenewed() {
        SimContext ctx = context();
        ManagedDevice device = device();
        assertThat(device.join(ctx)).isTrue();
        String statePath = "/api/v1/devices/dev-1/state";
        answerFor.put(statePath, "{\"applied\":true,\"credential\":{\"token\":\"cred-2\"}}");
        assertThat(device.sendReport(ctx)).isTrue();
        answerFor.put(statePath, "{\"applied\":true}");
        assertThat(device.sendReport(ctx)).isTrue();
        assertThat(device.sendReport(ctx)).isTrue();
        assertThat(calls.stream()
                        .filter(c -> c.path().equals(statePath))
                        .map(Call::authorization)
                        .toList())
                .containsExactly("Bearer cred-1", "Bearer cred-2", "Bearer cred-2");
    }

    @Test
    void anEnrollmentAnsweredWithoutACredentialIsAFailedJoin() {
        answerFor.put("/api/v1/devices", "{\"deviceId\":\"dev-1\"}");
        assertThat(device().join(context())).isFalse();
    }

    @Test
    void aProfileThatDoesNotApplyIsReportedFailedWithTheDevicesReason() {
        SimContext ctx = context("--profile-success", "0");
        ManagedDevice device = device();
        device.join(ctx);

        device.applyProfile(ctx, "cmd-1", "prof-vpn", 1, ConfigurationProfileType.VPN);

        JsonNode failed = reports("/api/v1/devices/dev-1/state")
                .get(0)
                .path("configurationProfiles")
                .get(0);
        assertThat(failed.path("state").asText()).isEqualTo("FAILED");
        assertThat(failed.path("reason").asText()).isEqualTo("VPN client not installed");
        assertThat(device.profiles()).isEmpty();
        assertThat(ctx.stats().actionCount("profilesFailed")).isEqualTo(1);
    }

    @Test
    void anOutcomeWhoseCheckInWasRefusedIsReportedAgainInTheNextOne() {
        SimContext ctx = context("--profile-success", "1");
        ManagedDevice device = device();
        device.join(ctx);
        statusFor.put("/api/v1/devices/dev-1/state", 503);

        device.applyProfile(ctx, "cmd-1", "prof-mail", 2, ConfigurationProfileType.EMAIL);
        assertThat(device.pendingProfileOutcomes()).hasSize(1);

        statusFor.remove("/api/v1/devices/dev-1/state");
        device.report(ctx);
        List<JsonNode> sent = reports("/api/v1/devices/dev-1/state");
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1)
                        .path("configurationProfiles")
                        .get(0)
                        .path("profileId")
                        .asText())
                .isEqualTo("prof-mail");
        assertThat(device.pendingProfileOutcomes()).isEmpty();
    }

    @Test
    void aSignedOutAccountReportsItsSelectiveWipeAtTheNextCheckInThenSignsInAgain() {
        SimContext ctx = context("--wipe-success", "1");
        AppAccount account = account(true);
        assertThat(account.join(ctx)).isTrue();
        String statePath = "/api/v1/app-instances/reg-1/state";
        assertThat(reports("/api/v1/me/pin-set")).isEmpty(); // this account ignores the PIN prompt

        account.onSignOut(ctx, signOut("reg-1", "bob", true, List.of()));
        assertThat(account.isSignedOut()).isTrue();

        // The wipe is carried out and reported at the next check-in, although the account is signed out.
        account.report(ctx);
        JsonNode wipes = reports(statePath).get(0).path("selectiveWipeResults");
        assertThat(wipes).hasSize(1);
        assertThat(wipes.get(0).path("appId").asText()).isEqualTo(MAIL);
        assertThat(wipes.get(0).path("succeeded").asBoolean()).isTrue();
        // Reported once; a signed-out account with nothing to report does not check in.
        account.report(ctx);
        assertThat(reports(statePath)).hasSize(1);

        assertThat(account.signInAgain(ctx)).isTrue();
        assertThat(account.isSignedOut()).isFalse();
        assertThat(reports("/api/v1/me/sign-in")).hasSize(2);
        // with a new token: policy-service refuses one issued before the sign-out ("sign in again")
        List<String> tokens = calls.stream()
                .filter(c -> c.path().equals("/api/v1/me/sign-in"))
                .map(Call::authorization)
                .toList();
        assertThat(tokens.get(1)).isNotEqualTo(tokens.get(0));
        // Signing in again goes through the PIN set-up, then the app checks in (pinSet, no wipe results left).
        assertThat(reports("/api/v1/me/pin-set")).hasSize(1);
        List<JsonNode> sent = reports(statePath);
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1).path("pinSet").asBoolean()).isTrue();
        assertThat(sent.get(1).path("selectiveWipeResults")).isEmpty();
        assertThat(ctx.stats().actions()).containsEntry("reSignIns", 1L).containsEntry("wipesDone", 1L);
        // the wipe went out with the credential the app held (which it revoked); the app registered again and checks
        // in with the new registration's credential
        assertThat(calls.stream()
                        .filter(c -> c.path().equals(statePath))
                        .map(Call::authorization)
                        .toList())
                .containsExactly("Bearer app-cred-1", "Bearer app-cred-2");

        // Only a signed-out account signs in again.
        assertThat(account.signInAgain(ctx)).isFalse();
    }

    @Test
    void aWipeThatFailsSaysWhyAndASignOutForAnotherAppWipesNothingHere() {
        SimContext ctx = context("--wipe-success", "0");
        AppAccount account = account(false);
        account.join(ctx);

        account.onSignOut(ctx, signOut("reg-1", "bob", true, List.of("com.contoso.teams")));
        assertThat(account.hasPendingWipes()).isFalse();

        account.onSignOut(ctx, signOut("reg-1", "bob", true, List.of(MAIL)));
        account.report(ctx);
        JsonNode wipe = reports("/api/v1/app-instances/reg-1/state")
                .get(0)
                .path("selectiveWipeResults")
                .get(0);
        assertThat(wipe.path("succeeded").asBoolean()).isFalse();
        assertThat(wipe.path("reason").asText()).isNotBlank();
        assertThat(ctx.stats().actionCount("wipesFailed")).isEqualTo(1);
    }

    @Test
    void aSignOutWithoutWipeReportsNoWipeResults() {
        SimContext ctx = context();
        ManagedDevice device = device();
        device.join(ctx);
        device.onSignOut(ctx, signOut("dev-1", "alice", false, List.of()));
        device.report(ctx);
        assertThat(reports("/api/v1/devices/dev-1/state").get(0).path("selectiveWipeResults"))
                .isEmpty();
    }
}
