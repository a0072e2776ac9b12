package dev.bulwark.policy.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.contract.Envelope;
import dev.bulwark.contract.Topics;
import dev.bulwark.events.ChangeKind;
import dev.bulwark.events.Platform;
import dev.bulwark.events.PolicyChanged;
import dev.bulwark.kit.outbox.Outbox;
import dev.bulwark.kit.problem.ProblemException;
import dev.bulwark.policy.support.AfterCommit;
import dev.bulwark.policy.targeting.Target;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Creates, changes and deletes policies of every kind within one tenant. Each change bumps the policy's version and
 * writes {@code PolicyChanged} (whole body, version, targets) to the outbox in the same transaction, keyed by policyId;
 * once committed, the change is announced in-process ({@link StoredPolicy} CDI event) for the sign-in caches.
 */
@ApplicationScoped
public class PolicyStore {

    private static final TypeReference<List<Target>> TARGETS = new TypeReference<>() {};

    private final EntityManager entityManager;
    private final Outbox outbox;
    private final ObjectMapper json;
    private final AfterCommit afterCommit;
    private final Event<StoredPolicy> changed;
    private final Clock clock;

    PolicyStore(
            EntityManager entityManager,
            Outbox outbox,
            ObjectMapper json,
            AfterCommit afterCommit,
            Event<StoredPolicy> changed,
            Clock clock) {
        this.entityManager = entityManager;
        this.outbox = outbox;
        this.json = json;
        this.afterCommit = afterCommit;
        this.changed = changed;
        this.clock = clock;
    }

    /** A new policy, version 1. */
    @Transactional
    public StoredPolicy create(
            String tenantId,
            PolicyKind kind,
            String name,
            Optional<String> platform,
            List<Target> targets,
            Object body) {
        Instant now = clock.instant();
        PolicyEntity entity = new PolicyEntity(UUID.randomUUID().toString(), tenantId, kind, now);
        write(entity, name, platform, targets, body, now);
        entityManager.persist(entity);
        return publish(entity, ChangeKind.CREATED);
    }

    /**
     * Replaces a policy's name, platform, targets and body. An identical replacement changes nothing: same version,
     * no event.
     */
    @Transactional
    public StoredPolicy replace(
            String tenantId,
            PolicyKind kind,
            String id,
            String name,
            Optional<String> platform,
            List<Target> targets,
            Object body) {
        PolicyEntity entity = locked(tenantId, kind, id);
        if (entity.name.equals(name)
                && Optional.ofNullable(entity.platform).equals(platform)
                && entity.targets.equals(text(targets))
                && entity.body.equals(text(body))) {
            return view(entity);
        }
        write(entity, name, platform, targets, body, clock.instant());
        return publish(entity, ChangeKind.UPDATED);
    }

    /** Deletes a policy: a tombstone with the next version, and a DELETED event carrying the last body. */
    @Transactional
    public void delete(String tenantId, PolicyKind kind, String id) {
        PolicyEntity entity = locked(tenantId, kind, id);
        entity.deleted = true;
        entity.version++;
        entity.updatedAt = clock.instant();
        entity.touchedAt = entity.updatedAt;
        publish(entity, ChangeKind.DELETED);
    }

    /** A live policy of the tenant; another tenant's or a deleted one is not found. */
    public StoredPolicy get(String tenantId, PolicyKind kind, String id) {
        return view(find(tenantId, kind, id, LockModeType.NONE));
    }

    /** The tenant's live policies of one kind, oldest first. */
    public List<StoredPolicy> list(String tenantId, PolicyKind kind) {
        return entityManager
                .createQuery(
                        "from PolicyEntity p where p.tenantId = :tenant and p.kind = :kind and p.deleted = false"
                                + " order by p.createdAt, p.id",
                        PolicyEntity.class)
                .setParameter("tenant", tenantId)
                .setParameter("kind", kind)
                .getResultList()
                .stream()
                .map(this::view)
                .toList();
    }

    /** Every row (tombstones too) touched since {@code since}: how a cache catches up. */
    @Transactional
    public List<StoredPolicy> touchedSince(Instant since) {
        return entityManager
                .createQuery("from PolicyEntity p where p.touchedAt > :since", PolicyEntity.class)
                .setParameter("since", since)
                .getResultList()
                .stream()
                .map(this::view)
                .toList();
    }

    private PolicyEntity locked(String tenantId, PolicyKind kind, String id) {
        return find(tenantId, kind, id, LockModeType.PESSIMISTIC_WRITE);
    }

    private PolicyEntity find(String tenantId, PolicyKind kind, String id, LockModeType lock) {
        PolicyEntity entity = entityManager.find(PolicyEntity.class, id, lock);
        if (entity == null || !entity.tenantId.equals(tenantId) || entity.kind != kind || entity.deleted) {
            throw ProblemException.notFound(
                    "No " + kind.name().toLowerCase().replace('_', ' ') + " policy " + id + " in this tenant.");
        }
        return entity;
    }

    private void write(
            PolicyEntity entity,
            String name,
            Optional<String> platform,
            List<Target> targets,
            Object body,
            Instant now) {
        entity.name = name;
        entity.platform = platform.orElse(null);
        entity.targets = text(targets);
        entity.body = text(body);
        entity.version++;
        entity.updatedAt = now;
        entity.touchedAt = now;
    }

    private StoredPolicy publish(PolicyEntity entity, ChangeKind change) {
        StoredPolicy stored = view(entity);
        outbox.append(Topics.POLICIES, stored.id(), event(stored, change));
        afterCommit.run(() -> changed.fire(stored));
        return stored;
    }

    private PolicyChanged event(StoredPolicy policy, ChangeKind change) {
        return PolicyChanged.newBuilder()
                .setEventId(Envelope.newEventId())
                .setOccurredAt(policy.updatedAt())
                .setTenantId(policy.tenantId())
                .setPolicyId(policy.id())
                .setPolicyKind(
                        dev.bulwark.events.PolicyKind.valueOf(policy.kind().name()))
                .setChange(change)
                .setVersion(policy.version())
                .setName(policy.name())
                .setPlatform(policy.platform().map(Platform::valueOf).orElse(null))
                .setTargets(policy.targets().stream()
                        .map(t -> dev.bulwark.events.Target.newBuilder()
                                .setKind(dev.bulwark.events.TargetKind.valueOf(
                                        t.kind().name()))
                                .setGroupId(t.groupId())
                                .setExcluded(t.excluded())
                                .build())
                        .toList())
                .setSettingsJson(policy.body())
                .build();
    }

    private StoredPolicy view(PolicyEntity e) {
        try {
            return new StoredPolicy(
                    e.id,
                    e.tenantId,
                    e.kind,
                    e.name,
                    Optional.ofNullable(e.platform),
                    e.version,
                    json.readValue(e.targets, TARGETS),
                    e.body,
                    e.deleted,
                    e.createdAt,
                    e.updatedAt);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("stored targets of policy " + e.id + " are not readable", ex);
        }
    }

    private String text(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write policy JSON", e);
        }
    }
}
