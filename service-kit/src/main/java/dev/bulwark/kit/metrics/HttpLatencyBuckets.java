package dev.bulwark.kit.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Arrays;

/**
 * HTTP latency by route as a histogram an operator can take percentiles of
 * ({@code histogram_quantile(0.99, sum by (le, uri) (rate(http_server_requests_seconds_bucket[5m])))}): a few fixed
 * bounds, from the 5 ms a sign-in should take to the 10 s nothing should, rather than Micrometer's ~70 generated ones,
 * so the series stay few (bounds x routes x statuses).
 */
@Singleton
public class HttpLatencyBuckets {

    static final Duration[] BOUNDS = {
        Duration.ofMillis(5),
        Duration.ofMillis(10),
        Duration.ofMillis(25),
        Duration.ofMillis(50),
        Duration.ofMillis(100),
        Duration.ofMillis(250),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofMillis(2500),
        Duration.ofSeconds(10)
    };

    @Produces
    @Singleton
    MeterFilter httpServerRequestBuckets() {
        double[] nanos = Arrays.stream(BOUNDS).mapToDouble(Duration::toNanos).toArray();
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!"http.server.requests".equals(id.getName())) {
                    return config;
                }
                return DistributionStatisticConfig.builder()
                        .serviceLevelObjectives(nanos)
                        .build()
                        .merge(config);
            }
        };
    }
}
