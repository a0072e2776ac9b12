package dev.bulwark.registry.imports;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.Types;
import java.time.Duration;
import java.util.List;
import org.hibernate.Session;

/**
 * Stages the parsed lines of one import in the unlogged {@code import_line} table, a batch per short transaction, so
 * that reading a long body holds no transaction and no connection open. Staged rows are scratch: they are dropped when
 * the import ends, whatever its outcome, and rows an import abandoned (a crash mid-request) are swept later.
 */
@ApplicationScoped
class ImportStaging {

    /** A line that passed the parser, with its number in the body. */
    record StagedLine(long number, ImportLine line) {}

    private final EntityManager entityManager;

    ImportStaging(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    void stage(String importId, String tenantId, List<StagedLine> batch) {
        entityManager.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("insert into import_line (import_id, line_no,"
                    + " tenant_id, kind, user_id, display_name, email, licensed, sku, group_id, group_name, group_kind,"
                    + " member_id) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (StagedLine staged : batch) {
                    insert.setString(1, importId);
                    insert.setLong(2, staged.number());
                    insert.setString(3, tenantId);
                    for (int column = 4; column <= 13; column++) {
                        insert.setNull(column, column == 8 ? Types.BOOLEAN : Types.VARCHAR);
                    }
                    if (staged.line() instanceof ImportLine.UserLine user) {
                        insert.setString(4, "USER");
                        insert.setString(5, user.userId());
                        insert.setString(6, user.displayName());
                        insert.setString(7, user.email());
                        if (user.licensed() != null) {
                            insert.setBoolean(8, user.licensed());
                        }
                        insert.setString(9, user.sku());
                    } else if (staged.line() instanceof ImportLine.GroupLine group) {
                        insert.setString(4, "GROUP");
                        insert.setString(10, group.groupId());
                        insert.setString(11, group.name());
                        insert.setString(12, group.kind().name());
                    } else if (staged.line() instanceof ImportLine.MembershipLine membership) {
                        insert.setString(4, "MEMBERSHIP");
                        insert.setString(10, membership.groupId());
                        insert.setString(13, membership.memberId());
                    }
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        });
    }

    /** Drops what one import staged; runs whether the import was applied or refused. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    void discard(String importId) {
        entityManager
                .createNativeQuery("delete from import_line where import_id = ?1")
                .setParameter(1, importId)
                .executeUpdate();
    }

    /** Drops lines left by imports that never finished (the service stopped mid-request). */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    int discardAbandoned(Duration olderThan) {
        return entityManager
                .createNativeQuery("delete from import_line where staged_at < now() - make_interval(secs => ?1)")
                .setParameter(1, (double) olderThan.toSeconds())
                .executeUpdate();
    }
}
