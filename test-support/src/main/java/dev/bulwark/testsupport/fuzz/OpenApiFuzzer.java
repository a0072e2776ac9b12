package dev.bulwark.testsupport.fuzz;

import dev.bulwark.contract.TopicSpec;
import dev.bulwark.contract.Topics;
import dev.bulwark.testsupport.TopicProbe;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Fuzzes a running service from its own OpenAPI document: for every operation it builds a valid request from the
 * schema and sends it broken in one place at a time ({@link MutationKind}), then proves the service refused each one
 * properly ({@link Verdicts}) and changed nothing: no row of the tenant's added, removed or changed, the outbox
 * drained, no record for the tenant on any topic of the contract. New endpoints are covered because the document
 * lists them. Deterministic for a seed.
 */
public final class OpenApiFuzzer {

    private static final Duration OUTBOX_DRAIN = Duration.ofSeconds(15);
    private static final Duration SETTLE = Duration.ofSeconds(20);
    /** {@code -Dbulwark.fuzz.trace=true} prints every request and its answer, to see what a run does. */
    private static final boolean TRACE = Boolean.getBoolean("bulwark.fuzz.trace");

    private final FuzzTarget target;

    private OpenApiFuzzer(FuzzTarget target) {
        this.target = target;
    }

    public static OpenApiFuzzer against(FuzzTarget target) {
        return new OpenApiFuzzer(target);
    }

    /** Every mutation the run would send, in order (the document is fetched from the running service). */
    public List<Mutation> plan() {
        return plan(OpenApiDocument.fetch(target.baseUri));
    }

    static List<Mutation> plan(OpenApiDocument document, FuzzTarget target) {
        List<ApiOperation> operations = document.operations();
        Mutations mutations = new Mutations(document, target, operations);
        List<Mutation> all = new ArrayList<>();
        operations.forEach(operation -> all.addAll(mutations.of(operation)));
        return all;
    }

    private List<Mutation> plan(OpenApiDocument document) {
        return plan(document, target);
    }

    /** Sends every mutation and reports what was wrong; it does not fail by itself (see {@link FuzzReport}). */
    public FuzzReport run() {
        Instant start = Instant.now();
        OpenApiDocument document = OpenApiDocument.fetch(target.baseUri);
        String service = document.root().path("info").path("title").asText("service");
        List<Mutation> mutations = plan(document);
        awaitOutboxDrained();
        DatabaseSnapshot before = settledSnapshot();
        List<String> findings = new ArrayList<>();
        List<String> serverErrors = new ArrayList<>();
        SortedMap<Integer, Integer> statuses = new TreeMap<>();
        List<String> published = new ArrayList<>();
        List<String> stateChanges = new ArrayList<>();
        List<String> topics = Topics.catalogue().stream()
                .map(TopicSpec::name)
                .filter(name -> name.matches("bulwark\\..+\\.v1"))
                .toList();
        try (TopicProbe probe = TopicProbe.open(target.kafkaBootstrap, topics)) {
            for (Mutation mutation : mutations) {
                SocketHttp.Response response = SocketHttp.send(target.baseUri, mutation.request());
                statuses.merge(response.status(), 1, Integer::sum);
                if (TRACE) {
                    System.out.println("fuzz: " + mutation.describe() + " → " + response.status() + " "
                            + abbreviate(response.bodyText()));
                }
                List<String> wrong = Verdicts.judge(mutation, response);
                if (!wrong.isEmpty()) {
                    String line =
                            mutation.describe() + " → " + (response.status() < 0 ? "no answer" : response.status())
                                    + ": " + String.join("; ", wrong);
                    findings.add(line);
                }
                if (response.status() >= 500) {
                    serverErrors.add(
                            mutation.describe() + " → " + response.status() + " " + abbreviate(response.bodyText()));
                }
            }
            if (!awaitOutboxDrained()) {
                stateChanges.add(DatabaseSnapshot.OUTBOX + ": " + DatabaseSnapshot.outboxRows(target.dataSource)
                        + " rows still unpublished after " + OUTBOX_DRAIN.toSeconds() + " s");
            }
            try {
                probe.assertNone(SpecificRecord.class, this::ofTenant, target.quiet);
            } catch (AssertionError recordArrived) {
                probe.all().stream()
                        .filter(received -> ofTenant(received.event()))
                        .forEach(received ->
                                published.add(received.event().getClass().getSimpleName() + " key " + received.key()
                                        + ": " + abbreviate(received.event().toString())));
            }
        }
        DatabaseSnapshot after = DatabaseSnapshot.take(target.dataSource, target.tenantId, target.ignoredTables);
        stateChanges.addAll(before.differencesTo(after));
        return new FuzzReport(
                service,
                target.seed,
                mutations.size(),
                statuses,
                findings,
                serverErrors,
                stateChanges,
                published,
                Duration.between(start, Instant.now()));
    }

    /**
     * The tenant's rows once the effects of the test's seeding (consumers, fan-outs) have come to rest: two snapshots
     * a second apart that agree. Otherwise a late effect of the seeding would be blamed on the fuzzer's requests.
     */
    private DatabaseSnapshot settledSnapshot() {
        DatabaseSnapshot[] last = {DatabaseSnapshot.take(target.dataSource, target.tenantId, target.ignoredTables)};
        try {
            Awaitility.await()
                    .atMost(SETTLE)
                    .pollDelay(Duration.ofSeconds(1))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> {
                        DatabaseSnapshot now =
                                DatabaseSnapshot.take(target.dataSource, target.tenantId, target.ignoredTables);
                        boolean same = now.equals(last[0]);
                        last[0] = now;
                        return same;
                    });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException(
                    "The tenant's rows kept changing for " + SETTLE.toSeconds()
                            + " s after the seeding; the fuzzer cannot tell its effects from the seeding's",
                    e);
        }
        return last[0];
    }

    private boolean awaitOutboxDrained() {
        try {
            Awaitility.await()
                    .atMost(OUTBOX_DRAIN)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> DatabaseSnapshot.outboxRows(target.dataSource) == 0);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    private boolean ofTenant(SpecificRecord event) {
        Schema.Field tenant = event.getSchema().getField("tenantId");
        return tenant != null && target.tenantId.equals(String.valueOf(event.get(tenant.pos())));
    }

    private static String abbreviate(String text) {
        String oneLine = text.replaceAll("\\s+", " ");
        return oneLine.length() > 300 ? oneLine.substring(0, 300) + "…" : oneLine;
    }
}
