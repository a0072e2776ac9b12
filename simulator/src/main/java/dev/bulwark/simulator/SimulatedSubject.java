package dev.bulwark.simulator;

import dev.bulwark.events.SignOutRequired;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A compliance subject the simulator plays: a managed device or one account in one protected app. Holds what the
 * device "knows" (its state, whether it was signed out) and the bookkeeping for the latency figures.
 */
abstract class SimulatedSubject {

    private final Set<String> handledPrompts = new HashSet<>();
    /** When the first report of the current non-compliant spell was sent (System.nanoTime), 0 when compliant. */
    private long nonCompliantSince;

    private boolean signedOut;
    private boolean expectingSignOut;
    /** Selective wipes carried out since the last successful check-in, by app, as the next check-in reports them. */
    private final Map<String, Map<String, Object>> pendingWipes = new LinkedHashMap<>();

    /** deviceId or registrationId once enrolled / registered; null before. */
    abstract String subjectId();

    abstract String tenantId();

    /** Enroll or register (and sign in); false when the service refused. */
    abstract boolean join(SimContext ctx);

    /** Whether the state the subject would report now breaks the baseline. */
    abstract boolean nonCompliantNow();

    /** Sends one check-in with the current state. */
    abstract boolean sendReport(SimContext ctx);

    /** Makes the state compliant (OS update, PIN set …); false when the attempt failed. */
    abstract boolean fix(SimContext ctx);

    /** The seeded coin for this subject's next decision. */
    abstract boolean chance(double probability);

    /** Reports now, remembering when a non-compliant spell started. */
    final void report(SimContext ctx) {
        if (isSignedOut() && stopsReportingWhenSignedOut() && !hasPendingWipes()) {
            return;
        }
        boolean bad = nonCompliantNow();
        long now = System.nanoTime();
        if (sendReport(ctx)) {
            ctx.stats().action("reports");
            synchronized (this) {
                if (bad && nonCompliantSince == 0) {
                    nonCompliantSince = now;
                    expectingSignOut = true;
                } else if (!bad) {
                    nonCompliantSince = 0;
                }
            }
        }
    }

    /** An app signed out stops using the account; an MDM agent keeps checking in. */
    boolean stopsReportingWhenSignedOut() {
        return false;
    }

    /** A remediation prompt, once per attempt/command id: obey it with the configured probability. */
    final void onRemediationPrompt(SimContext ctx, String attemptId) {
        synchronized (this) {
            if (!handledPrompts.add(attemptId) || !nonCompliantNow() || signedOut) {
                return;
            }
        }
        ctx.stats().remediationsTried.increment();
        if (chance(ctx.options().remediationSuccess()) && fix(ctx)) {
            ctx.stats().remediationsSucceeded.increment();
            synchronized (this) {
                expectingSignOut = false;
            }
            report(ctx);
        } else {
            ctx.stats().remediationsFailed.increment();
        }
    }

    /**
     * SignOutRequired for this subject: the account is signed out and the user sees the message. With selectiveWipe the
     * corporate data of the named apps (or of every protected app here) is removed, successfully with the configured
     * probability; the next check-in reports the outcome.
     */
    final void onSignOut(SimContext ctx, SignOutRequired event) {
        long since;
        List<String> wiped = event.getSelectiveWipe() ? wipeTargets(event.getAppIds()) : List.of();
        synchronized (this) {
            since = nonCompliantSince;
            signedOut = true;
            expectingSignOut = false;
            for (String appId : wiped) {
                Map<String, Object> outcome = new LinkedHashMap<>();
                outcome.put("appId", appId);
                boolean succeeded = chance(ctx.options().wipeSuccess());
                outcome.put("succeeded", succeeded);
                if (!succeeded) {
                    outcome.put("reason", "corporate data in use by another process; will retry at next launch");
                }
                pendingWipes.put(appId, outcome);
                ctx.stats().action(succeeded ? "wipesDone" : "wipesFailed");
            }
        }
        ctx.stats().signOuts.increment();
        ctx.stats().signOutMessage(event.getUserMessage());
        if (since != 0) {
            long ms = (System.nanoTime() - since) / 1_000_000;
            ctx.stats().signOutLatencies.add(ms);
        }
    }

    /** ComplianceFailed for this subject: the pipeline's own latency, without any remediation deadline. */
    final void onComplianceFailed(SimContext ctx) {
        long since;
        synchronized (this) {
            since = nonCompliantSince;
        }
        if (since != 0) {
            ctx.stats().failedLatencies.add((System.nanoTime() - since) / 1_000_000);
        }
    }

    /** The apps whose corporate data a selective wipe removes here: those named, or all this subject has. */
    abstract List<String> wipeTargets(List<String> named);

    /**
     * The account signs in again after a sign-out (the user opens the app and signs back in); false when it did not
     * (or this kind of subject does not sign in). A new non-compliant spell is measured from its next report.
     */
    boolean signInAgain(SimContext ctx) {
        return false;
    }

    /** Marks the subject signed in again; called by subclasses after a successful sign-in. */
    final synchronized void signedInAgain() {
        signedOut = false;
        nonCompliantSince = 0;
    }

    synchronized boolean hasPendingWipes() {
        return !pendingWipes.isEmpty();
    }

    /** The wipe outcomes the next check-in carries (selectiveWipeResults); pass them to {@link #reported} after it. */
    synchronized List<Map<String, Object>> wipesToReport() {
        return new ArrayList<>(pendingWipes.values());
    }

    /** A check-in carrying {@code wipes} was accepted: they are reported, unless a newer outcome replaced one. */
    synchronized void reported(List<Map<String, Object>> wipes) {
        for (Map<String, Object> wipe : wipes) {
            pendingWipes.remove((String) wipe.get("appId"), wipe);
        }
    }

    synchronized boolean isSignedOut() {
        return signedOut;
    }

    synchronized boolean expectingSignOut() {
        return expectingSignOut;
    }
}
