package dev.bulwark.compliance.remediation;

import dev.bulwark.compliance.support.Columns;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Notices a fix that came too late for the watermark: reported before its remediation deadline, but processed after
 * the deadline had fired. The watermark makes this impossible as long as every report reaches
 * {@code bulwark.devices.v1} within {@code bulwark.compliance.watermark.allowed-lateness} of its occurredAt; a longer
 * delay at device-registry's outbox relay breaks that promise. The sign-out stands (it was published) and the fix
 * restores the subject at once, as any fix does; the case is logged as a warning and counted
 * ({@code bulwark.compliance.late.fixes}) so that an operator raises the allowed lateness.
 */
@ApplicationScoped
public class LateFixes {

    private static final Logger LOG = Logger.getLogger(LateFixes.class);

    private final EntityManager entityManager;
    private final Counter lateFixes;

    LateFixes(EntityManager entityManager, MeterRegistry registry) {
        this.entityManager = entityManager;
        this.lateFixes = Counter.builder("bulwark.compliance.late.fixes")
                .description("Fixes reported before a remediation deadline that had already fired when they arrived")
                .register(registry);
    }

    /**
     * A subject signed out (or blocked) is compliant again by a report that occurred at {@code reportedAt}: if a
     * deadline due after that had fired, the fix was judged too late. Returns that deadline's due time.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    @SuppressWarnings("unchecked")
    public Optional<Instant> restored(String tenantId, String subjectId, Instant reportedAt, Optional<String> cause) {
        List<Object> due = entityManager
                .createNativeQuery("select due_at from remediation_deadline where tenant_id = ?1 and subject_id = ?2"
                        + " and status = 'FIRED' and step = ?3 and due_at > ?4 order by due_at desc limit 1")
                .setParameter(1, tenantId)
                .setParameter(2, subjectId)
                .setParameter(3, RemediationDeadline.SIGN_OUT)
                .setParameter(4, Timestamp.from(reportedAt))
                .getResultList();
        if (due.isEmpty()) {
            return Optional.empty();
        }
        Instant dueAt = Columns.instant(due.get(0));
        lateFixes.increment();
        LOG.warnf(
                "Subject %s of tenant %s reported a fix at %s (event %s), before its remediation deadline %s, but it"
                        + " arrived after the deadline had fired: raise bulwark.compliance.watermark.allowed-lateness"
                        + " above the delay of the reports",
                subjectId, tenantId, reportedAt, cause.orElse("-"), dueAt);
        return Optional.of(dueAt);
    }
}
