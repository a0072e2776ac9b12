package dev.bulwark.kit.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.contract.CloudEventHeaders;
import dev.bulwark.contract.Envelope;
import dev.bulwark.contract.EventCodec;
import dev.bulwark.kit.problem.ProblemException;
import dev.bulwark.kit.tracing.EventTracing;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.context.Context;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.avro.specific.SpecificRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Writes outgoing events into the {@code outbox_event} table inside the caller's transaction, so that the state
 * change and its events commit or roll back together; {@link OutboxRelay} publishes the rows to Kafka afterwards.
 *
 * <p>{@link #append} checks the event at once (an event Kafka could never take, over
 * {@code bulwark.outbox.max-event-bytes}, is refused with a 413 problem, so the caller's transaction rolls back) and
 * keeps the row with the transaction. When the transaction completes, an interposed synchronization writes all of
 * its rows in one JDBC batch on the transaction's own connection ({@code beforeCompletion}, plain JDBC: no auto-flush
 * of the persistence context); a failure there rolls the whole transaction back. Once the transaction has
 * committed it wakes the relay ({@code afterCompletion}), so an event leaves without waiting for a poll.
 */
@ApplicationScoped
public class Outbox {

    private static final String INSERT =
            "insert into outbox_event (event_id, topic, event_key, event_type, payload, headers, tenant_id)"
                    + " values (?, ?, ?, ?, ?, ?, ?)";
    /** Rows per JDBC batch: a large transaction (a directory import) is written in chunks of this many. */
    private static final int CHUNK = 1_000;

    private final DataSource dataSource;
    private final TransactionSynchronizationRegistry transactions;
    private final OutboxRelay relay;
    private final ObjectMapper json;
    private final MeterRegistry meters;
    private final Map<String, Counter> written = new java.util.concurrent.ConcurrentHashMap<>();
    private final String serviceName;
    private final int maxEventBytes;

    Outbox(
            DataSource dataSource,
            TransactionSynchronizationRegistry transactions,
            OutboxRelay relay,
            ObjectMapper json,
            MeterRegistry meters,
            @ConfigProperty(name = "bulwark.service-name") String serviceName,
            @ConfigProperty(name = "bulwark.outbox.max-event-bytes", defaultValue = "" + EventSize.DEFAULT_LIMIT)
                    int maxEventBytes) {
        this.dataSource = dataSource;
        this.transactions = transactions;
        this.relay = relay;
        this.json = json;
        this.meters = meters;
        this.serviceName = serviceName;
        this.maxEventBytes = maxEventBytes;
    }

    /**
     * Appends {@code event} for {@code topic}, keyed by {@code key}. Must run inside a transaction: an event written
     * outside one could be published for a state change that never committed. The row is written when the
     * transaction commits (see the class comment), so a query in the same transaction does not see it yet.
     *
     * @throws ProblemException 413 when the event would be larger than Kafka takes; the caller's transaction then rolls
     *     back
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void append(String topic, String key, SpecificRecord event) {
        if (topic == null || topic.isBlank() || key == null || key.isBlank()) {
            throw new IllegalArgumentException("an outbox event needs a topic and a key");
        }
        Map<String, String> headers = new LinkedHashMap<>(CloudEventHeaders.of(event, serviceName, key));
        // the trace this event continues travels with the row (ce_traceparent), so the relay's own context, later and
        // on another thread, does not replace it
        Context trace = EventTracing.contextFor(event);
        EventTracing.inject(trace, headers);
        EventTracing.appended(event, trace);
        byte[] payload = EventCodec.encode(event);
        EventSize size = EventSize.of(key, payload, headers);
        if (size.exceeds(maxEventBytes)) {
            throw new ProblemException(
                    413,
                    "Content too large",
                    "This change would publish a " + event.getSchema().getName() + " event of " + size.bytes()
                            + " bytes; events are limited to " + maxEventBytes
                            + " bytes. Make the request smaller (fewer or shorter items).");
        }
        String headerJson;
        try {
            headerJson = json.writeValueAsString(headers);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not serialise CloudEvents headers", e);
        }
        pendingRows()
                .add(new Row(
                        Envelope.eventId(event),
                        topic,
                        key,
                        event.getSchema().getName(),
                        payload,
                        headerJson,
                        Envelope.tenantId(event)));
    }

    /** An event on its way to {@code outbox_event}. */
    private record Row(
            String eventId, String topic, String key, String type, byte[] payload, String headers, String tenantId) {}

    /**
     * Runs {@code action} once the current transaction has committed, and never if it rolls back: for what counts an
     * effect (a metric), which must not count an attempt that was retried. Must run inside a transaction.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void afterCommit(Runnable action) {
        pending().afterCommit.add(action);
    }

    /** The current transaction's rows; the first append of a transaction registers the write at its end. */
    private List<Row> pendingRows() {
        return pending().rows;
    }

    private WriteAtCommit pending() {
        WriteAtCommit pending = (WriteAtCommit) transactions.getResource(Outbox.class);
        if (pending == null) {
            pending = new WriteAtCommit();
            transactions.putResource(Outbox.class, pending);
            transactions.registerInterposedSynchronization(pending);
        }
        return pending;
    }

    /**
     * Writes a transaction's rows before it commits; once it has, counts them by type
     * ({@code bulwark.events.written}), wakes the relay and runs the after-commit actions.
     */
    private final class WriteAtCommit implements Synchronization {

        private final List<Row> rows = new ArrayList<>();
        private final List<Runnable> afterCommit = new ArrayList<>();

        @Override
        public void beforeCompletion() {
            if (rows.isEmpty() || transactions.getRollbackOnly()) {
                return;
            }
            // inside the transaction the pool hands out the connection enlisted in it (the one Hibernate writes on);
            // plain JDBC, so nothing flushes the persistence context
            try (Connection connection = dataSource.getConnection()) {
                insert(connection, rows);
            } catch (SQLException e) {
                throw new IllegalStateException("could not write the transaction's outbox rows", e);
            }
        }

        @Override
        public void afterCompletion(int status) {
            if (status != Status.STATUS_COMMITTED) {
                return;
            }
            if (!rows.isEmpty()) {
                relay.wake();
                for (Row row : rows) {
                    written.computeIfAbsent(row.type(), type -> Counter.builder("bulwark.events.written")
                                    .description("Events committed to the outbox, by type (what the service decided)")
                                    .tag("type", type)
                                    .register(meters))
                            .increment();
                }
            }
            afterCommit.forEach(Runnable::run);
        }
    }

    private static void insert(Connection connection, List<Row> rows) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            for (int i = 0; i < rows.size(); i++) {
                Row row = rows.get(i);
                insert.setString(1, row.eventId());
                insert.setString(2, row.topic());
                insert.setString(3, row.key());
                insert.setString(4, row.type());
                insert.setBytes(5, row.payload());
                insert.setString(6, row.headers());
                insert.setString(7, row.tenantId());
                insert.addBatch();
                if ((i + 1) % CHUNK == 0 || i == rows.size() - 1) {
                    insert.executeBatch();
                }
            }
        }
    }
}
