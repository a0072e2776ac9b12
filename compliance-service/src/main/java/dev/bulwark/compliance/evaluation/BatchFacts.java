package dev.bulwark.compliance.evaluation;

import dev.bulwark.compliance.managed.DeviceCompliancePolicy;
import dev.bulwark.compliance.policy.SubjectFacts;
import dev.bulwark.compliance.projection.AppInstance;
import dev.bulwark.compliance.projection.ManagedDevice;
import dev.bulwark.compliance.remediation.RemediationDeadline;
import dev.bulwark.compliance.remediation.RemediationSteps;
import dev.bulwark.compliance.subject.ComplianceSubject;
import dev.bulwark.compliance.unmanaged.AppProtectionPolicy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * What one transaction judges its subjects on, read once at its start and passed down: the rows it locked (app
 * instances, managed devices, compliance subjects, by tenant and id, and which ids it looked for and found no row of),
 * the directory facts of its users and devices (groups, licence, disabled account) and each tenant's live app protection
 * and device compliance policies. A batch of check-ins, a directory batch and a policy fan-out's chunk each build one for
 * their own subjects, so nothing inside asks the database again for a row or a fact the batch holds; rows created while
 * the batch runs are added to it.
 *
 * <p>A plain value confined to its transaction's thread. {@link #empty()} holds nothing: a caller that judges one
 * subject on its own passes it and every lookup falls back to a query (see {@link BatchFactsReader}).
 */
public final class BatchFacts {

    private final Rows<AppInstance> appInstances = new Rows<>();
    private final Rows<ManagedDevice> devices = new Rows<>();
    private final Rows<ComplianceSubject> subjects = new Rows<>();
    /** The pending remediation deadline per subject, by subject id: held, or known to be none. */
    private final Rows<RemediationDeadline> pendingDeadlines = new Rows<>();
    /** Subjects whose deadlines this transaction changed since its last write to the database. */
    private final Set<Key> deadlinesChanged = new HashSet<>();
    /** The steps of the batch's deadlines (pending when read, or scheduled in the transaction), by deadline id. */
    private final Map<Long, List<RemediationSteps.Step>> steps = new HashMap<>();

    /** Groups per member (user or device); a member read without any group maps to an empty set. */
    private final Map<Key, Set<String>> groups = new HashMap<>();
    /** Licence per user read. */
    private final Map<Key, Boolean> licensed = new HashMap<>();

    private final Set<Key> disabled = new HashSet<>();
    private final Map<String, List<AppProtectionPolicy>> appProtection = new HashMap<>();
    private final Map<String, List<DeviceCompliancePolicy>> deviceCompliance = new HashMap<>();

    /** A batch that holds nothing yet. */
    public static BatchFacts empty() {
        return new BatchFacts();
    }

    /** The locked app-instance rows. */
    public Rows<AppInstance> appInstances() {
        return appInstances;
    }

    /** The locked managed-device rows. */
    public Rows<ManagedDevice> devices() {
        return devices;
    }

    /** The locked compliance-subject rows. */
    public Rows<ComplianceSubject> subjects() {
        return subjects;
    }

    /** The pending remediation deadlines of the batch's subjects, by subject id (see RemediationDeadlines). */
    public Rows<RemediationDeadline> pendingDeadlines() {
        return pendingDeadlines;
    }

    /** Notes that the transaction scheduled or closed a deadline of the subject, not yet written to the database. */
    public void deadlineChanged(String tenantId, String subjectId) {
        deadlinesChanged.add(new Key(tenantId, subjectId));
    }

    /** Whether the transaction changed a deadline of the subject since it last wrote its changes. */
    public boolean deadlineChangedUnwritten(String tenantId, String subjectId) {
        return deadlinesChanged.contains(new Key(tenantId, subjectId));
    }

    /** The transaction has written everything it changed so far. */
    public void changesWritten() {
        deadlinesChanged.clear();
    }

    /** Keeps every step of the deadline, as read with it (an empty list: it has none). */
    public void stepsRead(long deadlineId, List<RemediationSteps.Step> ofDeadline) {
        steps.put(deadlineId, new ArrayList<>(ofDeadline));
    }

    /** Keeps a step added in the transaction to a deadline the transaction scheduled. */
    public void stepAdded(long deadlineId, RemediationSteps.Step step) {
        steps.computeIfAbsent(deadlineId, id -> new ArrayList<>()).add(step);
    }

    /** All the steps of the deadline, in the order they were added, when the batch holds them. */
    public Optional<List<RemediationSteps.Step>> stepsOf(long deadlineId) {
        return Optional.ofNullable(steps.get(deadlineId)).map(List::copyOf);
    }

    /** Keeps the directory facts read for the tenant: every member in {@code members} and user in {@code users}. */
    public void directoryRead(
            String tenantId,
            Collection<String> members,
            Map<String, Set<String>> groupsOfMembers,
            Collection<String> users,
            Set<String> licensedUsers,
            Set<String> disabledUsers) {
        for (String member : members) {
            groups.put(new Key(tenantId, member), Set.copyOf(groupsOfMembers.getOrDefault(member, Set.of())));
        }
        for (String user : users) {
            Key key = new Key(tenantId, user);
            licensed.put(key, licensedUsers.contains(user));
            if (disabledUsers.contains(user)) {
                disabled.add(key);
            }
        }
    }

    /** Whether the batch holds the groups of every one of these members of the tenant. */
    public boolean holdsGroupsOf(String tenantId, Collection<String> members) {
        return members.stream().allMatch(member -> groups.containsKey(new Key(tenantId, member)));
    }

    /** Whether the batch holds the licence and account state of the user. */
    public boolean holdsUser(String tenantId, String userId) {
        Key key = new Key(tenantId, userId);
        return licensed.containsKey(key) && groups.containsKey(key);
    }

    /** An app instance's user's facts: their groups, licence and whether their account is disabled. */
    public Optional<SubjectFacts> factsOfUser(String tenantId, String userId) {
        if (!holdsUser(tenantId, userId)) {
            return Optional.empty();
        }
        Key key = new Key(tenantId, userId);
        return Optional.of(new SubjectFacts(groups.get(key), Set.of(), licensed.get(key), disabled.contains(key)));
    }

    /** A managed device's facts: its primary user's groups and its own (licences do not gate the managed path). */
    public Optional<SubjectFacts> factsOfDevice(String tenantId, String deviceId, String userId) {
        if (!holdsGroupsOf(tenantId, List.of(deviceId, userId))) {
            return Optional.empty();
        }
        return Optional.of(new SubjectFacts(
                groups.get(new Key(tenantId, userId)), groups.get(new Key(tenantId, deviceId)), false));
    }

    /** Keeps the tenant's live app protection policies. */
    public void appProtectionRead(String tenantId, List<AppProtectionPolicy> policies) {
        appProtection.put(tenantId, List.copyOf(policies));
    }

    /** Keeps the tenant's live device compliance policies. */
    public void deviceComplianceRead(String tenantId, List<DeviceCompliancePolicy> policies) {
        deviceCompliance.put(tenantId, List.copyOf(policies));
    }

    /** The tenant's live app protection policies, when the batch read them. */
    public Optional<List<AppProtectionPolicy>> appProtectionOf(String tenantId) {
        return Optional.ofNullable(appProtection.get(tenantId));
    }

    /** The tenant's live device compliance policies, when the batch read them. */
    public Optional<List<DeviceCompliancePolicy>> deviceComplianceOf(String tenantId) {
        return Optional.ofNullable(deviceCompliance.get(tenantId));
    }

    private record Key(String tenantId, String id) {}

    /**
     * The rows of one table that the batch holds locked, by tenant and id, and the ids it looked for and found no row
     * of: such an id is known to be new, so the first event that needs its row creates it without asking again.
     */
    public static final class Rows<T> {

        private final Map<Key, T> held = new HashMap<>();
        private final Set<Key> lookedFor = new HashSet<>();

        /** Keeps the rows a locking query of the tenant's {@code ids} returned. */
        public void locked(String tenantId, Collection<String> ids, Collection<T> rows, Function<T, String> idOf) {
            ids.forEach(id -> lookedFor.add(new Key(tenantId, id)));
            rows.forEach(row -> {
                Key key = new Key(tenantId, idOf.apply(row));
                lookedFor.add(key);
                held.put(key, row);
            });
        }

        /** Keeps a row created (or locked on its own) in the batch's transaction. */
        public void add(String tenantId, String id, T row) {
            Key key = new Key(tenantId, id);
            lookedFor.add(key);
            held.put(key, row);
        }

        /** Keeps that the id has no row any more (or none that the batch holds): {@link #get} is then empty. */
        public void none(String tenantId, String id) {
            Key key = new Key(tenantId, id);
            lookedFor.add(key);
            held.remove(key);
        }

        /** Whether the batch looked for this id: then {@link #get} is the answer, and no query is needed. */
        public boolean knows(String tenantId, String id) {
            return lookedFor.contains(new Key(tenantId, id));
        }

        /** The row the batch holds for this id; empty when it has none (see {@link #knows}). */
        public Optional<T> get(String tenantId, String id) {
            return Optional.ofNullable(held.get(new Key(tenantId, id)));
        }
    }
}
