package dev.bulwark.simulator.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

    private static BenchOptions parse(String... args) {
        return BenchOptions.parse(List.of(args)).orElseThrow();
    }

    @Test
    void defaultsMakeAShortRunAtTwoHundredAndOneThousand() {
        BenchOptions o = parse();
        assertThat(o.rates()).containsExactly(200, 1000);
        assertThat(o.duration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.warmup()).isEqualTo(Duration.ofSeconds(10));
        assertThat(o.nonCompliantShare()).isEqualTo(0.1);
        assertThat(o.managedShare()).isEqualTo(0.5);
        assertThat(o.storm()).isZero();
        assertThat(o.stormDeadline()).isEqualTo(Duration.ofSeconds(20));
        assertThat(o.anchors()).isTrue();
        assertThat(o.out()).isEmpty();
        assertThat(o.name()).isEqualTo("bench-" + o.runId());
        assertThat(o.dataDir()).isEqualTo(Path.of(".local-stack"));
    }

    @Test
    void everyOptionIsRead() {
        BenchOptions o = parse(
                "--data-dir",
                "/tmp/s",
                "--rates",
                "100, 500,2000",
                "--duration",
                "1m",
                "--warmup",
                "0",
                "--drain=15s",
                "--non-compliant-share",
                "0.2",
                "--managed-share",
                "1",
                "--pool",
                "10",
                "--max-in-flight",
                "64",
                "--join-concurrency",
                "4",
                "--storm",
                "10_000",
                "--storm-deadline",
                "PT30S",
                "--no-anchors",
                "--jdbc-rows",
                "500",
                "--out",
                "docs/perf",
                "--name",
                "before",
                "--run-id",
                "r1",
                "--kafka",
                "h:1",
                "--registry",
                "http://r:1",
                "--db-user",
                "u");
        assertThat(o.dataDir()).isEqualTo(Path.of("/tmp/s"));
        assertThat(o.rates()).containsExactly(100, 500, 2000);
        assertThat(o.duration()).isEqualTo(Duration.ofMinutes(1));
        assertThat(o.warmup()).isZero();
        assertThat(o.drain()).isEqualTo(Duration.ofSeconds(15));
        assertThat(o.nonCompliantShare()).isEqualTo(0.2);
        assertThat(o.managedShare()).isEqualTo(1.0);
        assertThat(o.pool()).isEqualTo(10);
        assertThat(o.maxInFlight()).isEqualTo(64);
        assertThat(o.joinConcurrency()).isEqualTo(4);
        assertThat(o.storm()).isEqualTo(10_000);
        assertThat(o.stormDeadline()).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.anchors()).isFalse();
        assertThat(o.jdbcRows()).isEqualTo(500);
        assertThat(o.out()).contains(Path.of("docs/perf"));
        assertThat(o.name()).isEqualTo("before");
        assertThat(o.runId()).isEqualTo("r1");
        assertThat(o.kafka()).contains("h:1");
        assertThat(o.registry().orElseThrow()).hasToString("http://r:1");
        assertThat(o.dbUser()).isEqualTo("u");
    }

    @Test
    void helpGivesNoOptions() {
        assertThat(BenchOptions.parse(List.of("--help"))).isEmpty();
    }

    @Test
    void theNonCompliantReportsOfAPhaseFollowTheShare() {
        BenchOptions o = parse("--non-compliant-share", "0.1");
        assertThat(o.nonCompliantReports(200, Duration.ofSeconds(30))).isEqualTo(600);
        assertThat(o.nonCompliantReports(1000, Duration.ofSeconds(30))).isEqualTo(3000);
    }

    @Test
    void everyRefusalNamesItsOption() {
        assertThatThrownBy(() -> parse("--rates", "200,x")).hasMessageStartingWith("--rates");
        assertThatThrownBy(() -> parse("--rates", "0")).hasMessageStartingWith("--rates");
        assertThatThrownBy(() -> parse("--duration", "0s")).hasMessageStartingWith("--duration");
        assertThatThrownBy(() -> parse("--non-compliant-share", "1.5")).hasMessageStartingWith("--non-compliant-share");
        assertThatThrownBy(() -> parse("--pool", "0")).hasMessageStartingWith("--pool");
        assertThatThrownBy(() -> parse("--storm", "-1")).hasMessageStartingWith("--storm");
        assertThatThrownBy(() -> parse("--storm", "many")).hasMessageStartingWith("--storm");
        assertThatThrownBy(() -> parse("--run-id", "a b")).hasMessageStartingWith("--run-id");
        assertThatThrownBy(() -> parse("--bogus", "1")).hasMessage("unknown option: --bogus");
        assertThatThrownBy(() -> parse("--pool")).hasMessage("--pool: needs a value");
        assertThatThrownBy(() -> parse("stray")).hasMessage("unexpected argument: stray");
    }
}
