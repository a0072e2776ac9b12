package dev.bulwark.registry.checkin;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The relay polls only every ten minutes, so an event that arrives within seconds was sent because its commit woke
 * the relay; events over 2,000 bytes are refused, so one check-in with a long app list can poison a group; one
 * committer for check-ins and one for enrollments and registrations, so that while it waits on a row or key the test
 * holds, the next requests form one group.
 */
public class QuietRelayProfile implements QuarkusTestProfile {

    static final int MAX_EVENT_BYTES = 2_000;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "bulwark.outbox.poll-interval", "PT10M",
                "bulwark.outbox.max-event-bytes", "" + MAX_EVENT_BYTES,
                "bulwark.registry.check-in.committers", "1",
                "bulwark.registry.join.committers", "1");
    }
}
