package dev.bulwark.testsupport.fuzz;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The outcome of one fuzz run: how many requests, the statuses they got, and every finding — each failing request
 * (operation, mutation, field, status, what was wrong), every table whose rows changed, every record published for
 * the tenant. {@link #assertClean()} fails with all of them at once, never at the first.
 */
public record FuzzReport(
        String service,
        long seed,
        int requests,
        SortedMap<Integer, Integer> statuses,
        List<String> requestFindings,
        List<String> serverErrors,
        List<String> stateChanges,
        List<String> publishedRecords,
        Duration elapsed) {

    public FuzzReport {
        statuses = new TreeMap<>(statuses);
        requestFindings = List.copyOf(requestFindings);
        serverErrors = List.copyOf(serverErrors);
        stateChanges = List.copyOf(stateChanges);
        publishedRecords = List.copyOf(publishedRecords);
    }

    public int serverErrorCount() {
        return serverErrors.size();
    }

    public boolean clean() {
        return requestFindings.isEmpty() && stateChanges.isEmpty() && publishedRecords.isEmpty();
    }

    /** Requests, statuses and counts in a few lines, for the build log. */
    public String summary() {
        StringBuilder text = new StringBuilder();
        text.append("Fuzzed ")
                .append(service)
                .append(" (seed ")
                .append(seed)
                .append("): ")
                .append(requests)
                .append(" requests in ")
                .append(elapsed.toMillis())
                .append(" ms; statuses ");
        for (Map.Entry<Integer, Integer> status : statuses.entrySet()) {
            text.append(status.getKey() < 0 ? "none" : status.getKey())
                    .append('×')
                    .append(status.getValue())
                    .append(' ');
        }
        text.append("; 5xx: ")
                .append(serverErrorCount())
                .append("; failing requests: ")
                .append(requestFindings.size())
                .append("; changed tables: ")
                .append(stateChanges.size())
                .append("; published records: ")
                .append(publishedRecords.size());
        return text.toString();
    }

    /** The summary and every finding, one per line. */
    public String details() {
        StringBuilder text = new StringBuilder(summary());
        section(text, "Failing requests (operation, mutation, field → status: what is wrong)", requestFindings);
        section(text, "Tables changed by invalid requests", stateChanges);
        section(text, "Records published for the fuzzed tenant", publishedRecords);
        return text.toString();
    }

    /** Fails, listing every finding, unless the run found nothing. */
    public void assertClean() {
        if (!clean()) {
            throw new AssertionError(details());
        }
    }

    private static void section(StringBuilder text, String title, List<String> lines) {
        if (lines.isEmpty()) {
            return;
        }
        text.append("\n").append(title).append(" — ").append(lines.size()).append(":");
        lines.forEach(line -> text.append("\n  ").append(line));
    }
}
