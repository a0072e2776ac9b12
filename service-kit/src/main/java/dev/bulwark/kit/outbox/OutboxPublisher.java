package dev.bulwark.kit.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * One relay round, free of framework types: inside one database transaction, take the oldest outbox rows in insertion
 * order, send them, wait for every outcome, then settle each row on its own: an acknowledged row is deleted, a row
 * Kafka refused for good is parked (moved to {@code outbox_parked} with the reason), a row that failed for a passing
 * reason stays for the next round. Nothing is deleted unless Kafka acknowledged it, so a crash anywhere in the round
 * leaves the rows for the next round (at-least-once; consumers dedupe by eventId); and no row makes another row fail,
 * wait or be sent twice.
 *
 * <p>Fair between tenants: a round takes every waiting tenant's oldest rows in turns, so one tenant's backlog does not
 * delay another tenant's events behind it.
 *
 * <p>Order per key: rows whose topic and key have a parked row are held (not selected) until an operator re-queues or
 * discards the parked row, so no consumer sees a key's later event without the earlier one. Within a round, a row that
 * fails at once in the producer (too large, no metadata for its topic) holds its key's later rows of the round back.
 */
public class OutboxPublisher {

    /**
     * Advisory lock key shared by every replica of a service on its own database. Whoever holds it keeps every relay
     * of the database idle (a test holds it to keep rows in the outbox).
     */
    public static final long RELAY_LOCK = 0x6275_6c77_6172_6bL;

    private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {};

    /** The tenants with rows waiting, each read once from the (tenant_id, id) index (a loose index scan). */
    private static final String WAITING_TENANTS = "with recursive tenants as ("
            + " (select tenant_id from outbox_event order by tenant_id limit 1)"
            + " union all"
            + " select (select o.tenant_id from outbox_event o where o.tenant_id > t.tenant_id"
            + " order by o.tenant_id limit 1) from tenants t where t.tenant_id is not null)"
            + " select count(*) from tenants where tenant_id is not null";

    /**
     * Each waiting tenant's oldest publishable rows (at most ?1 of each; rows of a key with a parked row are held),
     * taken in turns — every tenant's first row, then every tenant's second — up to ?2 rows. A key's rows keep their
     * order, since within a tenant the turn follows the insertion order.
     */
    private static final String FAIR_SELECT = "with recursive tenants as ("
            + " (select tenant_id from outbox_event order by tenant_id limit 1)"
            + " union all"
            + " select (select o.tenant_id from outbox_event o where o.tenant_id > t.tenant_id"
            + " order by o.tenant_id limit 1) from tenants t where t.tenant_id is not null)"
            + " select r.id, r.event_id, r.topic, r.event_key, r.payload, r.headers from tenants t"
            + " cross join lateral (select o.id, o.event_id, o.topic, o.event_key, o.payload, o.headers,"
            + " row_number() over (order by o.id) as turn from outbox_event o"
            + " where o.tenant_id = t.tenant_id and not exists (select 1 from outbox_parked p"
            + " where p.topic = o.topic and p.event_key = o.event_key)"
            + " order by o.id limit ?) r"
            + " where t.tenant_id is not null"
            + " order by r.turn, r.id limit ?";

    private final Producer<String, byte[]> producer;
    private final ObjectMapper json;
    private final int batchSize;

    public OutboxPublisher(Producer<String, byte[]> producer, ObjectMapper json, int batchSize) {
        this.producer = producer;
        this.json = json;
        this.batchSize = batchSize;
    }

    /**
     * What a round did: rows published (and deleted), rows parked (with their reasons), whether it settled any row (so
     * another round may find more at once) and the first passing failure, if any (those rows stay; the caller backs
     * off).
     */
    public record Round(int published, List<Parked> parked, boolean settledAny, Optional<Exception> retryLater) {

        static Round idle() {
            return new Round(0, List.of(), false, Optional.empty());
        }
    }

    /** A row moved to {@code outbox_parked}. */
    public record Parked(long id, String eventId, String topic, String key, String reason) {}

    /** Publishes one batch in its own transaction and settles each row; see {@link Round}. */
    public Round publishBatch(Connection connection) throws SQLException, InterruptedException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            Round round = publishLocked(connection);
            connection.commit();
            return round;
        } catch (SQLException | InterruptedException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /** A selected row on its way: its send's future, or why it was not sent. */
    private static final class Pending {
        final long id;
        final String eventId;
        final String topic;
        final String key;
        Future<RecordMetadata> ack;
        Throwable failure;

        Pending(long id, String eventId, String topic, String key) {
            this.id = id;
            this.eventId = eventId;
            this.topic = topic;
            this.key = key;
        }

        String topicAndKey() {
            return topic + '\u0000' + key;
        }
    }

    private Round publishLocked(Connection connection) throws SQLException, InterruptedException {
        try (PreparedStatement lock = connection.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
            lock.setLong(1, RELAY_LOCK);
            try (ResultSet rs = lock.executeQuery()) {
                if (!rs.next() || !rs.getBoolean(1)) {
                    return Round.idle(); // another replica is relaying this database
                }
            }
        }
        List<Pending> rows = new ArrayList<>();
        // keys whose earlier row of this round was refused at once: their later rows wait for the next round
        Set<String> heldThisRound = new HashSet<>();
        // twice the even share: a round still fills when some tenants have fewer rows waiting, and reads at most about
        // two batches of rows however many tenants wait
        int perTenant = Math.min(batchSize, 2 * ceilDiv(batchSize, waitingTenants(connection)));
        try (PreparedStatement select = connection.prepareStatement(FAIR_SELECT)) {
            select.setInt(1, perTenant);
            select.setInt(2, batchSize);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    Pending row = new Pending(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4));
                    rows.add(row);
                    if (heldThisRound.contains(row.topicAndKey())) {
                        continue;
                    }
                    send(row, rs.getBytes(5), rs.getString(6));
                    if (row.failure != null) {
                        // refused before it left: the key's later rows must not overtake it
                        heldThisRound.add(row.topicAndKey());
                    }
                }
            }
        }
        if (rows.isEmpty()) {
            return Round.idle();
        }
        producer.flush();
        List<Long> acked = new ArrayList<>();
        List<Parked> parked = new ArrayList<>();
        Exception retryLater = null;
        for (Pending row : rows) {
            if (row.ack == null && row.failure == null) {
                continue; // held behind its key's refused row; selected again next round (or held by the parking)
            }
            Throwable failure = row.failure != null ? row.failure : outcome(row.ack);
            if (failure == null) {
                acked.add(row.id);
            } else if (isPermanent(failure)) {
                parked.add(new Parked(row.id, row.eventId, row.topic, row.key, describe(failure)));
            } else if (retryLater == null) {
                retryLater = failure instanceof Exception e ? e : new ExecutionException(failure);
            }
        }
        beforeDelete();
        if (!acked.isEmpty()) {
            try (PreparedStatement delete =
                    connection.prepareStatement("delete from outbox_event where id = any (?)")) {
                delete.setArray(1, connection.createArrayOf("bigint", acked.toArray()));
                delete.executeUpdate();
            }
        }
        for (Parked row : parked) {
            park(connection, row);
        }
        return new Round(
                acked.size(),
                List.copyOf(parked),
                !acked.isEmpty() || !parked.isEmpty(),
                Optional.ofNullable(retryLater));
    }

    private static int waitingTenants(Connection connection) throws SQLException {
        try (PreparedStatement count = connection.prepareStatement(WAITING_TENANTS);
                ResultSet rs = count.executeQuery()) {
            rs.next();
            return Math.max(1, rs.getInt(1));
        }
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    private void send(Pending row, byte[] payload, String headerJson) {
        try {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(row.topic, row.key, payload);
            for (Map.Entry<String, String> header : readHeaders(headerJson).entrySet()) {
                record.headers()
                        .add(new RecordHeader(header.getKey(), header.getValue().getBytes(StandardCharsets.UTF_8)));
            }
            row.ack = producer.send(record);
            // the producer refuses an oversize record at once, with a failed future
            if (row.ack.isDone()) {
                row.failure = outcome(row.ack);
            }
        } catch (UnpublishableRow refused) {
            row.failure = refused;
        } catch (RuntimeException refused) {
            // thrown before the record left the producer: a passing state of the client, or the row's own content
            row.failure = refused instanceof RetriableException
                    ? refused
                    : new UnpublishableRow("the producer refused the record: " + describe(refused));
        }
    }

    /** The failure of a completed send, or null when Kafka acknowledged it. */
    private static Throwable outcome(Future<RecordMetadata> ack) {
        try {
            ack.get(30, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause() == null ? e : e.getCause();
        } catch (TimeoutException e) {
            return e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        }
    }

    /**
     * Failures that sending the same row again can never mend: the record itself is at fault, not the broker's state.
     * Everything else (the broker away, timeouts, leadership moves, authorisation until an operator fixes it) is
     * passing: the row stays and is sent again after a back-off.
     */
    static boolean isPermanent(Throwable failure) {
        return failure instanceof RecordTooLargeException
                || failure instanceof RecordBatchTooLargeException
                || failure instanceof InvalidTopicException
                || failure instanceof InvalidRecordException
                || failure instanceof SerializationException
                || failure instanceof UnpublishableRow;
    }

    private static String describe(Throwable failure) {
        String message = failure.getMessage() == null ? "" : ": " + failure.getMessage();
        return failure.getClass().getSimpleName() + message;
    }

    private static void park(Connection connection, Parked row) throws SQLException {
        try (PreparedStatement move =
                connection.prepareStatement("with moved as (delete from outbox_event where id = ? returning *)"
                        + " insert into outbox_parked"
                        + " (id, event_id, topic, event_key, event_type, payload, headers, created_at, reason)"
                        + " select id, event_id, topic, event_key, event_type, payload, headers, created_at, ?"
                        + " from moved")) {
            move.setLong(1, row.id());
            move.setString(2, row.reason());
            move.executeUpdate();
        }
    }

    /** A seam for fault-injection tests: a crash after Kafka answered and before the rows are settled. */
    void beforeDelete() {}

    private Map<String, String> readHeaders(String text) {
        try {
            return json.readValue(text, HEADERS);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new UnpublishableRow("unreadable CloudEvents headers in the outbox row: " + e.getMessage());
        }
    }

    /** A row that cannot even be turned into a Kafka record. */
    static final class UnpublishableRow extends RuntimeException {
        UnpublishableRow(String message) {
            super(message);
        }
    }
}
