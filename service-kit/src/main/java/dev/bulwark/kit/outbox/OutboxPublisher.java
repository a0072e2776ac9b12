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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * One relay round, free of framework types: inside one database transaction, take the oldest outbox rows in insertion
 * order, send them, wait for every acknowledgement, delete them, commit. Nothing is deleted unless Kafka acknowledged
 * it, so a crash anywhere in the round leaves the rows for the next round (at-least-once; consumers dedupe by eventId).
 */
public class OutboxPublisher {

    /** Advisory lock key shared by every replica of a service on its own database. */
    static final long RELAY_LOCK = 0x6275_6c77_6172_6bL;

    private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {};

    private final Producer<String, byte[]> producer;
    private final ObjectMapper json;
    private final int batchSize;

    public OutboxPublisher(Producer<String, byte[]> producer, ObjectMapper json, int batchSize) {
        this.producer = producer;
        this.json = json;
        this.batchSize = batchSize;
    }

    /** Publishes one batch in its own transaction; returns how many rows were published and deleted. */
    public int publishBatch(Connection connection)
            throws SQLException, InterruptedException, ExecutionException, TimeoutException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            int sent = publishLocked(connection);
            connection.commit();
            return sent;
        } catch (SQLException | InterruptedException | ExecutionException | TimeoutException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private int publishLocked(Connection connection)
            throws SQLException, InterruptedException, ExecutionException, TimeoutException {
        try (PreparedStatement lock = connection.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
            lock.setLong(1, RELAY_LOCK);
            try (ResultSet rs = lock.executeQuery()) {
                if (!rs.next() || !rs.getBoolean(1)) {
                    return 0; // another replica is relaying this database
                }
            }
        }
        List<Long> ids = new ArrayList<>();
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "select id, topic, event_key, payload, headers from outbox_event order by id limit ?")) {
            select.setInt(1, batchSize);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    ProducerRecord<String, byte[]> record =
                            new ProducerRecord<>(rs.getString(2), rs.getString(3), rs.getBytes(4));
                    for (Map.Entry<String, String> header :
                            readHeaders(rs.getString(5)).entrySet()) {
                        record.headers()
                                .add(new RecordHeader(
                                        header.getKey(), header.getValue().getBytes(StandardCharsets.UTF_8)));
                    }
                    ids.add(rs.getLong(1));
                    acks.add(producer.send(record));
                }
            }
        }
        if (ids.isEmpty()) {
            return 0;
        }
        producer.flush();
        for (Future<RecordMetadata> ack : acks) {
            ack.get(30, TimeUnit.SECONDS);
        }
        beforeDelete();
        try (PreparedStatement delete = connection.prepareStatement("delete from outbox_event where id = any (?)")) {
            delete.setArray(1, connection.createArrayOf("bigint", ids.toArray()));
            delete.executeUpdate();
        }
        return ids.size();
    }

    /** A seam for fault-injection tests: a crash after Kafka acknowledged and before the rows are deleted. */
    void beforeDelete() {}

    private Map<String, String> readHeaders(String text) {
        try {
            return json.readValue(text, HEADERS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable outbox headers", e);
        }
    }
}
