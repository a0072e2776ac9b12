package dev.bulwark.scenario;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulwark.contract.Topics;
import dev.bulwark.deploy.BulwarkService;
import dev.bulwark.deploy.RunningStack;
import dev.bulwark.deploy.ServiceProcess;
import dev.bulwark.events.ComplianceFailed;
import dev.bulwark.events.ComplianceRestored;
import dev.bulwark.events.DeviceStateReported;
import dev.bulwark.events.RemediationAttempted;
import dev.bulwark.events.RemediationStatus;
import dev.bulwark.events.SignOutReason;
import dev.bulwark.events.SignOutRequired;
import dev.bulwark.testsupport.TopicProbe;
import dev.bulwark.testsupport.TopicProbe.ReceivedEvent;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale-out is correct: two replicas of device-registry and two of compliance-service on one stack (same databases,
 * compliance-service's replicas in one consumer group), a load of managed and unmanaged check-ins from several tenants
 * spread over both registries, and one replica of each killed with SIGKILL in the middle of it. Read as an outside
 * consumer of the topics, afterwards: every accepted check-in was published exactly once and in its subject's order,
 * every subject's compliance events are the state machine's, once each and in order, every remediation deadline fired
 * exactly once (both replicas' deadline jobs compete until one dies), and the surviving compliance-service took over the
 * dead one's partitions.
 *
 * <p>The check-ins go through a round-robin "load balancer" over both registries: a request that fails with a
 * connection error (the registry died, perhaps after committing) is sent again to the other replica with the same
 * {@code reportedAt}, and every seventh accepted check-in is sent a second time as after a lost answer. The registry
 * must answer such a repeat with {@code applied=false} and publish nothing — the report's time is its idempotency key.
 *
 * <p>Remediation is switched on in compliance-service's baseline with a 4 s deadline and a 1 s deadline job, so that
 * subjects which break the baseline are signed out by a deadline (REMEDIATION_FAILED) unless they fix it in time.
 */
class ScaleOutScenariosIT {

    private static final String GROUP = "compliance-service";
    private static final String APP = "com.contoso.mail";
    private static final int TENANTS = 3;
    private static final int USERS_PER_TENANT = 8;
    private static final int REPORTS_PER_SUBJECT = 12;
    private static final Duration CHECK_IN_INTERVAL = Duration.ofSeconds(1);
    private static final Duration REMEDIATION_DEADLINE = Duration.ofSeconds(4);
    private static final int REPEAT_EVERY = 7;
    private static final double KILL_AFTER = 0.4;
    /**
     * Kafka consumers of bulwark.devices.v1 in each compliance-service replica
     * ({@code mp.messaging.incoming.devices.concurrency}): each is a member of the group of its own.
     */
    private static final int CONSUMERS_PER_REPLICA = 3;

    /** The dead replica's partitions wait for its Kafka session to time out (45 s by default) before they move. */
    private static final Duration OUTCOME_TIMEOUT = Duration.ofSeconds(180);
    /** How long to go on reading after everything expected arrived, for a late double to show. */
    private static final Duration QUIET = Duration.ofSeconds(3);

    @TempDir
    static Path dataDir;

    private static RunningStack stack;

    @BeforeAll
    static void startStack() {
        stack = ScenarioStack.start(
                dataDir,
                EnumSet.of(BulwarkService.DEVICE_REGISTRY, BulwarkService.COMPLIANCE_SERVICE),
                config -> config.withReplicas(BulwarkService.DEVICE_REGISTRY, 2)
                        .withReplicas(BulwarkService.COMPLIANCE_SERVICE, 2)
                        .withEnvironment(
                                BulwarkService.COMPLIANCE_SERVICE,
                                Map.of(
                                        "BULWARK_COMPLIANCE_BASELINE_REMEDIATION_ENABLED", "true",
                                        "BULWARK_COMPLIANCE_BASELINE_REMEDIATION_DEADLINE",
                                                REMEDIATION_DEADLINE.toString(),
                                        "BULWARK_COMPLIANCE_REMEDIATION_POLL_INTERVAL", "1s")));
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    /** What a subject's check-ins say over the run. */
    enum Script {
        /** Every report meets the baseline: nothing is published about it. */
        STAYS_COMPLIANT,
        /** Meets it at first, breaks it from report {@code badFrom} on: remediation, and the deadline signs it out. */
        NEVER_FIXED,
        /** Breaks it at reports 1 and 2, meets it again from report 3 on: remediation, then compliant again. */
        FIXED;

        boolean compliant(int report, int badFrom) {
            return switch (this) {
                case STAYS_COMPLIANT -> true;
                case NEVER_FIXED -> report < badFrom;
                case FIXED -> report < 1 || report > 2;
            };
        }

        int firstBad(int badFrom) {
            return this == FIXED ? 1 : badFrom;
        }
    }

    /** A managed device or an unmanaged app instance of one tenant's user, and the token it checks in with. */
    record Subject(
            String tenantId,
            String admin,
            String subjectId,
            boolean managed,
            String token,
            Script script,
            int badFrom) {

        String statePath() {
            return (managed ? "/api/v1/devices/" : "/api/v1/app-instances/") + subjectId + "/state";
        }

        String report(int index, Instant reportedAt) {
            boolean compliant = script.compliant(index, badFrom);
            return managed
                    ? """
                    {"osVersion": "%s", "encrypted": true, "passcodeSet": true, "jailbroken": false,
                     "installedApps": [], "reportedAt": "%s"}"""
                            .formatted(compliant ? "14" : "12", reportedAt)
                    : """
                    {"osVersion": "14", "appVersion": "5.1", "pinSet": %s, "jailbroken": false, "reportedAt": "%s"}"""
                            .formatted(compliant, reportedAt);
        }
    }

    @Test
    void killingAReplicaOfEachUnderLoadLosesNothingDoublesNothingAndKeepsEachSubjectsOrder() throws Exception {
        List<ServiceProcess> registries = stack.replicas(BulwarkService.DEVICE_REGISTRY);
        List<ServiceProcess> compliances = stack.replicas(BulwarkService.COMPLIANCE_SERVICE);
        assertThat(registries).hasSize(2);
        assertThat(compliances).hasSize(2);
        List<Subject> subjects = enrolFleet(registries);

        try (Admin kafka = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()));
                TopicProbe devices = TopicProbe.open(stack.bootstrapServers(), Topics.DEVICES);
                TopicProbe verdicts = TopicProbe.open(stack.bootstrapServers(), Topics.COMPLIANCE);
                TopicProbe signOuts = TopicProbe.open(stack.bootstrapServers(), Topics.SIGNOUT);
                CheckInLoad load = new CheckInLoad(
                        registries.stream().map(ServiceProcess::url).toList())) {
            // the assignment stays so until the kill: nobody joins or leaves the group in between
            Map<String, Set<TopicPartition>> sharing = await("both compliance-service replicas hold partitions")
                    .atMost(OUTCOME_TIMEOUT)
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> devicesAssignment(kafka), members -> members.size() == 2 * CONSUMERS_PER_REPLICA);

            CompletableFuture<Void> played = load.play(subjects);
            int total = subjects.size() * REPORTS_PER_SUBJECT;
            await("check-ins accepted before the kill")
                    .atMost(OUTCOME_TIMEOUT)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> load.accepted.get() >= total * KILL_AFTER || played.isDone());
            if (played.isCompletedExceptionally()) {
                played.get(); // a check-in refused before the kill: the reason is the failure
            }
            assertThat(played).as("the load is still running at the kill").isNotDone();

            // Until a relay dies mid-round, the one relay per database at a time publishes each row once: no eventId
            // may be on a topic twice yet (after the kill the survivor may send the dead relay's last round again).
            List<ReceivedEvent> publishedBeforeKill = new ArrayList<>(devices.all());
            publishedBeforeKill.addAll(verdicts.all());
            publishedBeforeKill.addAll(signOuts.all());

            // SIGKILL, mid-load: no shutdown hook, no consumer leaving its group, no relay finishing its round.
            ServiceProcess deadRegistry = registries.get(0);
            ServiceProcess deadCompliance = compliances.get(0);
            deadRegistry.kill();
            deadCompliance.kill();
            int acceptedAtKill = load.accepted.get();
            Map<TopicPartition, Long> endsAtKill = endOffsets(kafka);
            assertThat(deadRegistry.isAlive()).isFalse();
            assertThat(deadCompliance.isAlive()).isFalse();

            played.get(OUTCOME_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            assertThat(republished(publishedBeforeKill))
                    .as("events published twice while both relays of each database lived")
                    .isZero();
            assertThat(load.accepted.get()).isEqualTo(total);
            System.out.printf(
                    "Scale-out load: %d check-ins (%d before the kill), %d sent again after an answer (all"
                            + " applied=false), %d failed over to the other registry, %d of them already applied%n",
                    total, acceptedAtKill, load.repeated.get(), load.failedOver.get(), load.failedOverApplied.get());

            // The survivor's consumers took the dead replica's partitions and consumed everything on them.
            Map<String, Set<TopicPartition>> after = await("the surviving replica holds every partition, no lag")
                    .atMost(OUTCOME_TIMEOUT)
                    .pollInterval(Duration.ofMillis(500))
                    .until(
                            () -> lagOf(kafka).values().stream().allMatch(lag -> lag == 0)
                                    ? devicesAssignment(kafka)
                                    : Map.<String, Set<TopicPartition>>of(),
                            members -> members.size() == CONSUMERS_PER_REPLICA
                                    && members.values().stream()
                                                    .mapToInt(Set::size)
                                                    .sum()
                                            == endsAtKill.size());
            Set<String> survivors = after.keySet();
            assertThat(sharing)
                    .as("the survivor's consumers were members before the kill")
                    .containsKeys(survivors.toArray(String[]::new));
            Set<TopicPartition> orphaned = sharing.entrySet().stream()
                    .filter(member -> !survivors.contains(member.getKey()))
                    .flatMap(member -> member.getValue().stream())
                    .collect(Collectors.toSet());
            Set<TopicPartition> heldBySurvivors =
                    after.values().stream().flatMap(Set::stream).collect(Collectors.toSet());
            Map<TopicPartition, Long> endsNow = endOffsets(kafka);
            assertThat(orphaned).isNotEmpty().allSatisfy(p -> assertThat(heldBySurvivors)
                    .contains(p));
            assertThat(orphaned)
                    .as("check-ins reached the dead replica's partitions after the kill")
                    .anySatisfy(p -> assertThat(endsNow.get(p)).isGreaterThan(endsAtKill.get(p)));
            System.out.printf(
                    "Partitions of the killed compliance-service, now consumed by %s: %s (before the kill: %s)%n",
                    survivors, orphaned, sharing);

            awaitEveryOutcome(subjects, load, devices, verdicts, signOuts);
            // go on reading a little: a deadline fired twice, or a report applied twice, would show now
            for (TopicProbe probe : List.of(devices, verdicts, signOuts)) {
                probe.assertNone(SpecificRecord.class, e -> false, QUIET);
            }

            assertEachCheckInPublishedOnceInOrder(subjects, load, devices.all());
            assertComplianceEventsOnceEachInOrder(subjects, load, devices.all(), verdicts.all(), signOuts.all());
            for (Subject subject : subjects) {
                String expected = subject.script() == Script.NEVER_FIXED ? "SIGNED_OUT" : "COMPLIANT";
                given().auth()
                        .oauth2(subject.admin())
                        .get(compliances.get(1).url() + "/api/v1/subjects/" + subject.subjectId())
                        .then()
                        .statusCode(200)
                        .body("state", org.hamcrest.Matchers.equalTo(expected));
            }
        }
    }

    /**
     * Users, their enrolled phones and their mail app instances in {@link #TENANTS} tenants, made over both
     * registries in turn; each subject gets a script, a third of each kind.
     */
    private static List<Subject> enrolFleet(List<ServiceProcess> registries) {
        List<Subject> subjects = new ArrayList<>();
        int n = 0;
        for (int t = 0; t < TENANTS; t++) {
            ScenarioTenant tenant = new ScenarioTenant(stack);
            for (int u = 0; u < USERS_PER_TENANT; u++) {
                String registry = registries.get(n % registries.size()).url();
                String userId = "user-" + u;
                given().auth()
                        .oauth2(tenant.admin())
                        .contentType(ContentType.JSON)
                        .body(Map.of("userId", userId, "displayName", "User " + u, "email", userId + "@example.com"))
                        .post(registry + "/api/v1/users")
                        .then()
                        .statusCode(201);
                String deviceId = given().auth()
                        .oauth2(tenant.admin())
                        .contentType(ContentType.JSON)
                        .body(Map.of(
                                "userId", userId,
                                "platform", "ANDROID",
                                "osVersion", "14",
                                "model", "Pixel 8",
                                "hardwareId", "hw-" + u + "-" + tenant.id(),
                                "ownership", "CORPORATE"))
                        .post(registry + "/api/v1/devices")
                        .then()
                        .statusCode(201)
                        .extract()
                        .path("deviceId");
                String userToken = tenant.userToken(userId);
                String registrationId = given().auth()
                        .oauth2(userToken)
                        .contentType(ContentType.JSON)
                        .body(Map.of(
                                "appId", APP,
                                "installationId", "phone-" + u + "-" + tenant.id(),
                                "platform", "ANDROID",
                                "osVersion", "14",
                                "appVersion", "5.1"))
                        .post(registry + "/api/v1/app-instances")
                        .then()
                        .statusCode(201)
                        .extract()
                        .path("registrationId");
                subjects.add(subject(tenant, deviceId, true, stack.deviceToken(tenant.id(), deviceId), n++));
                subjects.add(subject(tenant, registrationId, false, userToken, n++));
            }
        }
        return subjects;
    }

    private static Subject subject(ScenarioTenant tenant, String id, boolean managed, String token, int n) {
        Script script = Script.values()[n % Script.values().length];
        // NEVER_FIXED subjects break the baseline at reports 1 to 5, so their deadlines fall before and after the kill
        int badFrom = 1 + (n / Script.values().length) % 5;
        return new Subject(tenant.id(), tenant.admin(), id, managed, token, script, badFrom);
    }

    /** Waits until every accepted check-in is on the devices topic and every subject's last expected event is out. */
    private static void awaitEveryOutcome(
            List<Subject> subjects, CheckInLoad load, TopicProbe devices, TopicProbe verdicts, TopicProbe signOuts) {
        for (Subject subject : subjects) {
            Instant last = load.accepted(subject).get(REPORTS_PER_SUBJECT - 1);
            devices.await(
                    DeviceStateReported.class,
                    e -> e.getSubjectId().equals(subject.subjectId())
                            && e.getOccurredAt().equals(last),
                    OUTCOME_TIMEOUT);
            switch (subject.script()) {
                case NEVER_FIXED -> {
                    verdicts.await(
                            RemediationAttempted.class,
                            e -> e.getSubjectId().equals(subject.subjectId())
                                    && e.getStatus() == RemediationStatus.FAILED,
                            OUTCOME_TIMEOUT);
                    signOuts.await(
                            SignOutRequired.class, e -> e.getSubjectId().equals(subject.subjectId()), OUTCOME_TIMEOUT);
                }
                case FIXED -> verdicts.await(
                        ComplianceRestored.class, e -> e.getSubjectId().equals(subject.subjectId()), OUTCOME_TIMEOUT);
                case STAYS_COMPLIANT -> {}
            }
        }
    }

    /**
     * Each accepted check-in is exactly one DeviceStateReported (one eventId; the relay of a killed registry may have
     * published a row again under the same eventId, which consumers drop), and a subject's reports are in the order
     * they were made.
     */
    private static void assertEachCheckInPublishedOnceInOrder(
            List<Subject> subjects, CheckInLoad load, List<ReceivedEvent> published) {
        Map<String, List<DeviceStateReported>> bySubject = firstCopies(published, DeviceStateReported.class).stream()
                .collect(Collectors.groupingBy(DeviceStateReported::getSubjectId));
        for (Subject subject : subjects) {
            assertThat(bySubject.getOrDefault(subject.subjectId(), List.of()))
                    .as("reports of %s %s, once each in the order made", subject.script(), subject.subjectId())
                    .extracting(DeviceStateReported::getOccurredAt)
                    .containsExactlyElementsOf(load.accepted(subject));
        }
        System.out.printf(
                "Devices topic: %d events, %d distinct; eventIds published again by a relay after the kill: %d%n",
                published.size(), firstCopies(published, SpecificRecord.class).size(), republished(published));
    }

    /**
     * Per subject, the compliance topic carries exactly the state machine's events for its script, each once, in
     * order: a failure caused by the first bad report, its remediation attempt PENDING, and then either SUCCEEDED and
     * restored (fixed in time) or FAILED — the deadline, with exactly one SignOutRequired REMEDIATION_FAILED.
     */
    private static void assertComplianceEventsOnceEachInOrder(
            List<Subject> subjects,
            CheckInLoad load,
            List<ReceivedEvent> reports,
            List<ReceivedEvent> compliance,
            List<ReceivedEvent> signOutEvents) {
        Map<String, String> reportEventIds = new ConcurrentHashMap<>();
        for (DeviceStateReported report : firstCopies(reports, DeviceStateReported.class)) {
            reportEventIds.put(
                    report.getSubjectId() + "@" + report.getOccurredAt(), String.valueOf(report.getEventId()));
        }
        Map<String, List<SpecificRecord>> verdictsBySubject = new TreeMap<>();
        for (SpecificRecord event : firstCopies(compliance, SpecificRecord.class)) {
            org.apache.avro.Schema.Field subjectId = event.getSchema().getField("subjectId");
            assertThat(subjectId).as("an event of a subject: %s", event).isNotNull();
            verdictsBySubject
                    .computeIfAbsent(String.valueOf(event.get(subjectId.pos())), s -> new ArrayList<>())
                    .add(event);
        }
        Map<String, List<SignOutRequired>> signOutsBySubject =
                firstCopies(signOutEvents, SignOutRequired.class).stream()
                        .collect(Collectors.groupingBy(SignOutRequired::getSubjectId));
        Map<String, Integer> paths = new TreeMap<>();
        int deadlinesFired = 0;
        for (Subject subject : subjects) {
            List<SpecificRecord> events = verdictsBySubject.getOrDefault(subject.subjectId(), List.of());
            List<SignOutRequired> signedOut = signOutsBySubject.getOrDefault(subject.subjectId(), List.of());
            String what = subject.script() + " " + subject.subjectId() + ": " + events + " / " + signedOut;
            if (subject.script() == Script.STAYS_COMPLIANT) {
                assertThat(events).as(what).isEmpty();
                assertThat(signedOut).as(what).isEmpty();
                continue;
            }
            List<String> sequence =
                    events.stream().map(ScaleOutScenariosIT::describe).toList();
            List<String> inTime = List.of(
                    "ComplianceFailed",
                    "RemediationAttempted PENDING",
                    "RemediationAttempted SUCCEEDED",
                    "ComplianceRestored");
            List<String> deadline =
                    List.of("ComplianceFailed", "RemediationAttempted PENDING", "RemediationAttempted FAILED");
            List<String> deadlineThenFixed = new ArrayList<>(deadline);
            deadlineThenFixed.add("ComplianceRestored");
            if (subject.script() == Script.NEVER_FIXED) {
                assertThat(sequence).as(what).isEqualTo(deadline);
            } else {
                // deadlines are judged in event time: a fix the device reported before its deadline counts however
                // late a stalled partition delivered it; only a fix reported after it may follow a sign-out
                List<Instant> accepted = load.accepted(subject);
                Instant due = accepted.get(subject.script().firstBad(subject.badFrom()))
                        .plus(REMEDIATION_DEADLINE);
                Instant fixedAt = accepted.get(subject.script().firstBad(subject.badFrom()) + 2);
                if (fixedAt.isBefore(due)) {
                    assertThat(sequence)
                            .as("%s fixed at %s, before its deadline %s: never signed out", what, fixedAt, due)
                            .isEqualTo(inTime);
                } else {
                    assertThat(sequence).as(what).isIn(inTime, deadlineThenFixed);
                }
            }
            paths.merge(subject.script() + " " + sequence.get(2), 1, Integer::sum);

            ComplianceFailed failed = (ComplianceFailed) events.get(0);
            Instant firstBad = load.accepted(subject).get(subject.script().firstBad(subject.badFrom()));
            assertThat(String.valueOf(failed.getCauseEventId()))
                    .as("%s is caused by the first bad report", what)
                    .isEqualTo(reportEventIds.get(subject.subjectId() + "@" + firstBad));
            RemediationAttempted pending = (RemediationAttempted) events.get(1);
            RemediationAttempted outcome = (RemediationAttempted) events.get(2);
            assertThat(outcome.getAttemptId()).as(what).isEqualTo(pending.getAttemptId());
            if (outcome.getStatus() == RemediationStatus.FAILED) {
                deadlinesFired++;
                assertThat(signedOut)
                        .as("one sign-out per expired remediation: %s", what)
                        .singleElement()
                        .satisfies(s -> assertThat(s.getReason()).isEqualTo(SignOutReason.REMEDIATION_FAILED));
            } else {
                assertThat(signedOut).as(what).isEmpty();
            }
        }
        System.out.printf(
                "Compliance: %d deadlines fired once each; outcomes %s; compliance events published again: %d,"
                        + " sign-outs published again: %d%n",
                deadlinesFired, paths, republished(compliance), republished(signOutEvents));
    }

    private static String describe(SpecificRecord event) {
        return event instanceof RemediationAttempted attempt
                ? "RemediationAttempted " + attempt.getStatus()
                : event.getSchema().getName();
    }

    /** The events of {@code type}, each eventId once (its first copy), in the order received. */
    private static <T extends SpecificRecord> List<T> firstCopies(List<ReceivedEvent> received, Class<T> type) {
        Set<String> seen = new HashSet<>();
        List<T> first = new ArrayList<>();
        for (ReceivedEvent r : received) {
            if (type.isInstance(r.event()) && seen.add(eventId(r.event()))) {
                first.add(type.cast(r.event()));
            }
        }
        return first;
    }

    private static long republished(List<ReceivedEvent> received) {
        return received.size() - firstCopies(received, SpecificRecord.class).size();
    }

    private static String eventId(SpecificRecord event) {
        return String.valueOf(event.get(event.getSchema().getField("eventId").pos()));
    }

    /** Which member of compliance-service's group holds which partitions of the devices topic. */
    private static Map<String, Set<TopicPartition>> devicesAssignment(Admin kafka) throws Exception {
        ConsumerGroupDescription group = kafka.describeConsumerGroups(List.of(GROUP))
                .all()
                .get(10, TimeUnit.SECONDS)
                .get(GROUP);
        Map<String, Set<TopicPartition>> byMember = new TreeMap<>();
        for (MemberDescription member : group.members()) {
            Set<TopicPartition> partitions = member.assignment().topicPartitions().stream()
                    .filter(p -> p.topic().equals(Topics.DEVICES))
                    .collect(Collectors.toSet());
            if (!partitions.isEmpty()) {
                byMember.put(member.consumerId(), partitions);
            }
        }
        return byMember;
    }

    private static Map<TopicPartition, Long> endOffsets(Admin kafka) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
        kafka.describeTopics(List.of(Topics.DEVICES))
                .allTopicNames()
                .get(10, TimeUnit.SECONDS)
                .get(Topics.DEVICES)
                .partitions()
                .forEach(p -> latest.put(new TopicPartition(Topics.DEVICES, p.partition()), OffsetSpec.latest()));
        Map<TopicPartition, Long> ends = new TreeMap<>(java.util.Comparator.comparingInt(TopicPartition::partition));
        kafka.listOffsets(latest).all().get(10, TimeUnit.SECONDS).forEach((p, info) -> ends.put(p, info.offset()));
        return ends;
    }

    /** Records of the devices topic compliance-service's group has not committed yet, per partition. */
    private static Map<TopicPartition, Long> lagOf(Admin kafka) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = kafka.listConsumerGroupOffsets(GROUP)
                .partitionsToOffsetAndMetadata()
                .get(10, TimeUnit.SECONDS);
        Map<TopicPartition, Long> lag = new TreeMap<>(java.util.Comparator.comparingInt(TopicPartition::partition));
        endOffsets(kafka).forEach((p, end) -> {
            OffsetAndMetadata at = committed.get(p);
            lag.put(p, end - (at == null ? 0 : at.offset()));
        });
        return lag;
    }

    /**
     * Plays every subject's check-ins, one every {@link #CHECK_IN_INTERVAL} per subject, through a round-robin over the
     * registry replicas. A request that gets no answer (connection refused or reset: the replica died, perhaps after
     * committing) or a 5xx is sent again, with the same report, to the next replica, as a load balancer would.
     */
    private static final class CheckInLoad implements AutoCloseable {

        private final List<String> registries;
        private final HttpClient http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(2))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        private final ScheduledExecutorService pool = Executors.newScheduledThreadPool(16, runnable -> {
            Thread thread = new Thread(runnable, "check-in-load");
            thread.setDaemon(true);
            return thread;
        });
        private final AtomicInteger next = new AtomicInteger();
        private final Map<String, List<Instant>> acceptedBySubject = new ConcurrentHashMap<>();
        final AtomicInteger accepted = new AtomicInteger();
        final AtomicInteger repeated = new AtomicInteger();
        final AtomicInteger failedOver = new AtomicInteger();
        final AtomicInteger failedOverApplied = new AtomicInteger();

        CheckInLoad(List<String> registries) {
            this.registries = List.copyOf(registries);
        }

        /** Completes when every subject's last check-in was accepted; fails with the first check-in that was not. */
        CompletableFuture<Void> play(List<Subject> subjects) {
            Instant start = Instant.now();
            List<CompletableFuture<Void>> chains = new ArrayList<>();
            for (int i = 0; i < subjects.size(); i++) {
                Subject subject = subjects.get(i);
                acceptedBySubject.put(subject.subjectId(), new ArrayList<>());
                CompletableFuture<Void> done = new CompletableFuture<>();
                // the subjects' schedules spread over one interval, not all at the same moment
                Instant first = start.plus(CHECK_IN_INTERVAL.multipliedBy(i).dividedBy(subjects.size()));
                report(subject, 0, first, done);
                chains.add(done);
            }
            return CompletableFuture.allOf(chains.toArray(CompletableFuture[]::new));
        }

        /** The report times of a subject's accepted check-ins, in the order made. */
        List<Instant> accepted(Subject subject) {
            synchronized (acceptedBySubject) {
                return List.copyOf(acceptedBySubject.get(subject.subjectId()));
            }
        }

        private void report(Subject subject, int index, Instant due, CompletableFuture<Void> done) {
            long delay = Math.max(0, Duration.between(Instant.now(), due).toMillis());
            pool.schedule(
                    () -> {
                        try {
                            Instant reportedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
                            String body = subject.report(index, reportedAt);
                            Answer answer = post(subject, body);
                            if (answer.failedOver()) {
                                failedOver.incrementAndGet();
                            }
                            if (!answer.applied()) {
                                // only a request that may have committed before its replica died can be a repeat
                                assertThat(answer.failedOver())
                                        .as("a fresh report of %s was applied", subject.subjectId())
                                        .isTrue();
                                failedOverApplied.incrementAndGet();
                            }
                            synchronized (acceptedBySubject) {
                                acceptedBySubject.get(subject.subjectId()).add(reportedAt);
                            }
                            if (accepted.incrementAndGet() % REPEAT_EVERY == 0) {
                                // the answer was lost on the way, say: the client sends the same report again
                                assertThat(post(subject, body).applied())
                                        .as("a repeated report of %s is not applied again", subject.subjectId())
                                        .isFalse();
                                repeated.incrementAndGet();
                            }
                            if (index + 1 < REPORTS_PER_SUBJECT) {
                                report(subject, index + 1, due.plus(CHECK_IN_INTERVAL), done);
                            } else {
                                done.complete(null);
                            }
                        } catch (Throwable failure) {
                            done.completeExceptionally(failure);
                        }
                    },
                    delay,
                    TimeUnit.MILLISECONDS);
        }

        /** Whether the registry applied the report, and whether it took more than one replica to get an answer. */
        record Answer(boolean applied, boolean failedOver) {}

        private Answer post(Subject subject, String body) throws InterruptedException {
            Instant giveUp = Instant.now().plus(Duration.ofSeconds(60));
            boolean failedOver = false;
            for (int attempt = 1; ; attempt++) {
                String registry = registries.get(Math.floorMod(next.getAndIncrement(), registries.size()));
                String problem;
                try {
                    HttpResponse<String> response = http.send(
                            HttpRequest.newBuilder(URI.create(registry + subject.statePath()))
                                    .timeout(Duration.ofSeconds(30))
                                    .header("Authorization", "Bearer " + subject.token())
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(body))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200) {
                        return new Answer(response.body().contains("\"applied\":true"), failedOver);
                    }
                    if (response.statusCode() < 500) {
                        throw new AssertionError(registry + subject.statePath() + " answered " + response.statusCode()
                                + ": " + response.body());
                    }
                    problem = response.statusCode() + " " + response.body();
                } catch (IOException e) {
                    problem = e.toString();
                }
                failedOver = true;
                if (Instant.now().isAfter(giveUp)) {
                    throw new AssertionError("no registry accepted " + subject.statePath() + ": " + problem);
                }
                if (attempt % registries.size() == 0) {
                    // every replica failed this round: back off a little before the next
                    Thread.sleep(100);
                }
            }
        }

        @Override
        public void close() {
            pool.shutdownNow();
        }
    }
}
