package dev.bulwark.simulator;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a run ends with, as plain values: the text printed at the end and the HTML report are both rendered from it,
 * so they cannot disagree.
 */
public record Summary(
        String runId,
        List<String> tenants,
        int devices,
        int appInstallations,
        int appAccounts,
        int users,
        Duration elapsed,
        Map<String, Long> actions,
        Map<String, Long> events,
        Map<String, Long> httpErrors,
        long remediationsTried,
        long remediationsSucceeded,
        long remediationsFailed,
        long signOuts,
        long stillExpectingSignOut,
        Percentiles signOutLatency,
        Percentiles complianceFailedLatency,
        List<Long> signOutSamples,
        List<String> sampleMessages,
        String command) {

    /** The summary as printed on stdout. */
    public String toText() {
        StringBuilder s = new StringBuilder();
        s.append("Bulwark simulator — run ").append(runId).append('\n');
        s.append(String.format(
                "fleet: %d managed devices, %d app installations (%d accounts), %d users, %d tenant(s); %s%n",
                devices, appInstallations, appAccounts, users, tenants.size(), formatDuration(elapsed)));
        s.append("actions:\n");
        actions.forEach((k, v) -> s.append(String.format("  %-28s %,10d%n", k, v)));
        s.append("events seen (this run's tenants):\n");
        if (events.isEmpty()) {
            s.append("  (none)\n");
        }
        events.forEach((k, v) -> s.append(String.format("  %-28s %,10d%n", k, v)));
        s.append(String.format(
                "remediations: tried %,d, succeeded %,d, failed %,d%n",
                remediationsTried, remediationsSucceeded, remediationsFailed));
        s.append(String.format(
                "sign-outs received: %,d (non-compliant subjects still waiting for one: %,d); signed in again: %,d%n",
                signOuts, stillExpectingSignOut, actions.getOrDefault("reSignIns", 0L)));
        s.append(String.format(
                "selective wipes: done %,d, failed %,d%n",
                actions.getOrDefault("wipesDone", 0L), actions.getOrDefault("wipesFailed", 0L)));
        s.append(String.format(
                "configuration profiles: applied %,d, failed %,d, removed %,d%n",
                actions.getOrDefault("profilesApplied", 0L),
                actions.getOrDefault("profilesFailed", 0L),
                actions.getOrDefault("profilesRemoved", 0L)));
        s.append("latency non-compliant report -> SignOutRequired received: ")
                .append(signOutLatency)
                .append('\n');
        s.append("latency non-compliant report -> ComplianceFailed received: ")
                .append(complianceFailedLatency)
                .append('\n');
        if (!httpErrors.isEmpty()) {
            s.append("HTTP errors (call status: count): ").append(httpErrors).append('\n');
        }
        if (!sampleMessages.isEmpty()) {
            s.append("a sign-out message as the user saw it: \"")
                    .append(sampleMessages.get(0))
                    .append("\"\n");
        }
        return s.toString();
    }

    static String formatDuration(Duration d) {
        return String.format("%dm%02ds", d.toMinutes(), d.toSecondsPart());
    }
}
