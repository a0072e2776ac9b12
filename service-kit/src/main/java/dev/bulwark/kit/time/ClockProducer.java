package dev.bulwark.kit.time;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * The one clock of every service (UTC), injectable so that verdicts, deadlines and time-dependent rules read time from
 * one place; a test or a service may produce its own {@link Clock}, which then wins over this default.
 */
@Singleton
public class ClockProducer {

    @Produces
    @Singleton
    @DefaultBean
    Clock clock() {
        return Clock.systemUTC();
    }
}
