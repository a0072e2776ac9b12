package dev.bulwark.kit.outbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.contract.CloudEventHeaders;
import dev.bulwark.contract.Envelope;
import dev.bulwark.contract.EventCodec;
import dev.bulwark.events.UserLicenseChanged;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;

/**
 * The relay's drain rate against the raw anchor on the same broker in the same run: the relay's own producer sending
 * the same records straight from memory. And the wait of a second tenant's rows written behind one tenant's backlog.
 * Left out of the ordinary build: {@code mvn -o -pl service-kit test -Pbenchmark [-Dbench.rows=50000]}.
 */
class OutboxRelayBenchmark {

    private final ObjectMapper json = new ObjectMapper();
    private final int rows = Integer.getInteger("bench.rows", 50_000);

    @Test
    void relayDrainRateAgainstKafkasOwnProducerRateAndASecondTenantsWait() throws Exception {
        try (OutboxInfra infra = OutboxInfra.start()) {
            List<Object[]> records = records("tenant-a", rows);
            String rawTopic = "bench-raw-" + UUID.randomUUID();
            String relayTopic = "bench-relay-" + UUID.randomUUID();
            // warm both paths once (JIT, metadata), then measure
            raw(infra, rawTopic, records.subList(0, 5_000));
            fill(infra, relayTopic, records.subList(0, 5_000));
            drain(infra);

            double rawRate = raw(infra, rawTopic, records);
            fill(infra, relayTopic, records);
            long start = System.nanoTime();
            int published = drain(infra);
            double relayRate = published / seconds(start);

            // one tenant's backlog, then five rows of another: how long until those five are out
            fill(infra, relayTopic, records);
            List<Object[]> second = records("tenant-b", 5);
            fill(infra, relayTopic, second);
            start = System.nanoTime();
            OutboxPublisher publisher = new OutboxPublisher(infra.producer, json, 500);
            int rounds = 0;
            while (waiting(infra, "tenant-b") > 0) {
                try (Connection connection = infra.connect()) {
                    publisher.publishBatch(connection);
                }
                rounds++;
            }
            double secondTenantWait = seconds(start);
            drain(infra);

            System.out.printf(
                    "%nOUTBOX RELAY BENCHMARK (%d rows of ~%d bytes, batch 500, load average %s)%n"
                            + "  Kafka producer alone (same broker, same records): %,.0f records/s%n"
                            + "  relay, outbox -> Kafka -> delete:                 %,.0f records/s (%.2f x raw)%n"
                            + "  second tenant's 5 rows behind a %,d-row backlog:   out after %d round(s), %.0f ms%n",
                    rows,
                    ((byte[]) records.get(0)[2]).length,
                    loadAverage(),
                    rawRate,
                    relayRate,
                    relayRate / rawRate,
                    rows,
                    rounds,
                    secondTenantWait * 1000);
        }
    }

    /** key, tenant, payload, headers JSON, eventId. */
    private List<Object[]> records(String tenant, int count) throws Exception {
        List<Object[]> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String key = tenant + "/user-" + (i % 1000);
            UserLicenseChanged event = UserLicenseChanged.newBuilder()
                    .setEventId(Envelope.newEventId())
                    .setOccurredAt(Instant.now())
                    .setTenantId(tenant)
                    .setUserId(key)
                    .setLicensed(true)
                    .setSku("BULWARK_E3")
                    .build();
            records.add(new Object[] {
                key,
                tenant,
                EventCodec.encode(event),
                json.writeValueAsString(CloudEventHeaders.of(event, "bench", key)),
                event.getEventId()
            });
        }
        return records;
    }

    private double raw(OutboxInfra infra, String topic, List<Object[]> records) throws Exception {
        long start = System.nanoTime();
        List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
        for (Object[] r : records) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, (String) r[0], (byte[]) r[2]);
            Map<String, String> headers = json.readValue((String) r[3], Map.class);
            headers.forEach((k, v) -> record.headers().add(new RecordHeader(k, v.getBytes(StandardCharsets.UTF_8))));
            acks.add(infra.producer.send(record));
        }
        infra.producer.flush();
        for (Future<RecordMetadata> ack : acks) {
            ack.get();
        }
        return records.size() / seconds(start);
    }

    private static void fill(OutboxInfra infra, String topic, List<Object[]> records) throws Exception {
        try (Connection connection = infra.connect();
                PreparedStatement insert = connection.prepareStatement(
                        "insert into outbox_event (event_id, topic, event_key, event_type, payload, headers, tenant_id)"
                                + " values (?, ?, ?, 'UserLicenseChanged', ?, ?, ?)")) {
            connection.setAutoCommit(false);
            for (Object[] r : records) {
                insert.setString(1, UUID.randomUUID().toString()); // a row per fill; the payload is what is sent
                insert.setString(2, topic);
                insert.setString(3, (String) r[0]);
                insert.setBytes(4, (byte[]) r[2]);
                insert.setString(5, (String) r[3]);
                insert.setString(6, (String) r[1]);
                insert.addBatch();
            }
            insert.executeBatch();
            connection.commit();
        }
        try (Connection connection = infra.connect();
                Statement statement = connection.createStatement()) {
            statement.execute("analyze outbox_event");
        }
    }

    private int drain(OutboxInfra infra) throws Exception {
        OutboxPublisher publisher = new OutboxPublisher(infra.producer, json, 500);
        int total = 0;
        while (true) {
            try (Connection connection = infra.connect()) {
                OutboxPublisher.Round round = publisher.publishBatch(connection);
                if (round.retryLater().isPresent()) {
                    throw round.retryLater().get();
                }
                if (!round.settledAny()) {
                    return total;
                }
                total += round.published();
            }
        }
    }

    private static int waiting(OutboxInfra infra, String tenant) throws Exception {
        try (Connection connection = infra.connect();
                PreparedStatement count =
                        connection.prepareStatement("select count(*) from outbox_event where tenant_id = ?")) {
            count.setString(1, tenant);
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg"))
                    .trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
