package dev.bulwark.simulator;

import dev.bulwark.simulator.Fleet.AccountPlan;
import dev.bulwark.simulator.Fleet.AppPlan;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One account in one protected app on an unmanaged device, as the App SDK behaves: registers the instance with the
 * user's identity, signs in and fetches the effective policy, sets the PIN when told (unless this account is one that
 * ignores the prompt), checks in, and stops using the account once it is signed out.
 */
final class AppAccount extends SimulatedSubject {

    private final AppPlan app;
    private final AccountPlan account;
    private final SplittableRandom random;
    private volatile String registrationId;
    /** The credential the registration answered with (renewed in a check-in's answer): what the app checks in with. */
    private volatile String credential;

    private volatile boolean pinSet;
    private volatile int pinLength = 6;

    AppAccount(AppPlan app, AccountPlan account, long seed) {
        this.app = app;
        this.account = account;
        this.random = new SplittableRandom(seed);
    }

    @Override
    String subjectId() {
        return registrationId;
    }

    @Override
    String tenantId() {
        return app.tenantId();
    }

    @Override
    boolean join(SimContext ctx) {
        String token = ctx.tokens().user(app.tenantId(), account.userId());
        if (!register(ctx, token)) {
            return false;
        }
        ctx.stats().action("registered");
        signIn(ctx, token, account.nonCompliant());
        return true;
    }

    /**
     * Registers the app for the user (again, after a sign-out: a selective wipe revoked the credential it held) and
     * keeps the credential the answer carries: the app checks in with it.
     */
    private boolean register(SimContext ctx, String token) {
        Rest.Response r = ctx.rest()
                .post(
                        ctx.options().registry(),
                        "/api/v1/app-instances",
                        token,
                        Map.of(
                                "appId", app.appId(),
                                "installationId", app.installationId(),
                                "platform", app.platform().name(),
                                "osVersion", app.platform().compliantOs(app.osPick()),
                                "appVersion", app.appVersion()));
        String issued = r.body().path("credential").path("token").asText("");
        if (!r.ok() || r.text("registrationId").isEmpty() || issued.isEmpty()) {
            ctx.stats().httpError("register", r.status());
            return false;
        }
        registrationId = r.text("registrationId");
        credential = issued;
        return true;
    }

    /**
     * After a sign-out the user signs back in. The SDK puts the PIN set-up before any corporate data, so whoever signs
     * in again sets the PIN when asked, even an account that ignored the prompt before.
     */
    @Override
    boolean signInAgain(SimContext ctx) {
        if (!isSignedOut() || registrationId == null) {
            return false;
        }
        // a real sign-in gets a new token from the identity provider: one issued before the sign-out is refused
        String token = ctx.tokens().freshUser(app.tenantId(), account.userId());
        if (hasPendingWipes()) {
            // the wipe's outcome goes out with the credential the app held (a successful one revokes it), before the
            // app registers again for a new one
            report(ctx);
        }
        if (!register(ctx, token) || !signIn(ctx, token, false)) {
            return false;
        }
        signedInAgain();
        ctx.stats().action("reSignIns");
        report(ctx);
        return true;
    }

    private boolean signIn(SimContext ctx, String token, boolean ignoresPinPrompt) {
        Rest.Response r = ctx.rest().post(ctx.options().policy(), "/api/v1/me/sign-in", token, signInBody());
        if (!r.ok()) {
            ctx.stats().httpError("sign-in", r.status());
            return false;
        }
        ctx.stats().action("signIns");
        String next = r.text("nextStep");
        ctx.stats().action("signIn." + (next.isEmpty() ? r.text("status") : next));
        int asked = r.body().path("policy").path("pinMinimumLength").asInt(0);
        if (asked > 0) {
            pinLength = asked;
        }
        if ("SET_PIN".equals(next) && !ignoresPinPrompt) {
            setPin(ctx, token);
        }
        return true;
    }

    private boolean setPin(SimContext ctx, String token) {
        Map<String, Object> body = new HashMap<>(signInBody());
        body.put("pinLength", pinLength);
        Rest.Response r = ctx.rest().post(ctx.options().policy(), "/api/v1/me/pin-set", token, body);
        // 409: no PIN is asked of this account here (no policy targets it); the PIN is set on the device anyway.
        if (r.ok() || r.status() == 409) {
            pinSet = true;
            ctx.stats().action("pinSet");
            return true;
        }
        ctx.stats().httpError("pin-set", r.status());
        return false;
    }

    private Map<String, Object> signInBody() {
        return Map.of(
                "appId",
                app.appId(),
                "registrationId",
                registrationId,
                "platform",
                app.platform().name());
    }

    @Override
    boolean nonCompliantNow() {
        return !pinSet;
    }

    @Override
    boolean sendReport(SimContext ctx) {
        List<Map<String, Object>> wipes = wipesToReport();
        Rest.Response r = ctx.rest()
                .post(
                        ctx.options().registry(),
                        "/api/v1/app-instances/" + registrationId + "/state",
                        credential,
                        Map.of(
                                "osVersion",
                                app.platform().compliantOs(app.osPick()),
                                "appVersion",
                                app.appVersion(),
                                "pinSet",
                                pinSet,
                                "jailbroken",
                                false,
                                "selectiveWipeResults",
                                wipes));
        if (!r.ok()) {
            ctx.stats().httpError("app-state", r.status());
            return false;
        }
        String renewed = r.body().path("credential").path("token").asText("");
        if (!renewed.isEmpty()) {
            credential = renewed;
        }
        reported(wipes);
        if (!wipes.isEmpty()) {
            ctx.stats().action("wipeResultsReported");
        }
        return true;
    }

    /** An app wipes only its own corporate data: this app, when the sign-out names it or names none. */
    @Override
    List<String> wipeTargets(List<String> named) {
        return named.isEmpty() || named.contains(app.appId()) ? List.of(app.appId()) : List.of();
    }

    @Override
    boolean fix(SimContext ctx) {
        return setPin(ctx, ctx.tokens().user(app.tenantId(), account.userId()));
    }

    @Override
    boolean stopsReportingWhenSignedOut() {
        return true;
    }

    @Override
    synchronized boolean chance(double probability) {
        return random.nextDouble() < probability;
    }
}
