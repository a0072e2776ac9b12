package dev.bulwark.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptionsParserTest {

    @Test
    void defaultsFitAPlainLocalStack() {
        SimulatorOptions o = OptionsParser.parse(List.of("--run-id", "r1"));

        assertThat(o.registry()).hasToString("http://127.0.0.1:8081");
        assertThat(o.policy()).hasToString("http://127.0.0.1:8083");
        assertThat(o.kafka()).isEqualTo("127.0.0.1:19092");
        assertThat(o.keysDir()).isEqualTo(Path.of(".local-stack/keys"));
        assertThat(o.devices()).isEqualTo(100);
        assertThat(o.apps()).isEqualTo(100);
        assertThat(o.duration()).isEqualTo(Duration.ofSeconds(60));
        assertThat(o.seed()).isEqualTo(42);
        assertThat(o.createPolicy()).isTrue();
        assertThat(o.report()).isEmpty();
        assertThat(o.profileSuccess()).isEqualTo(0.9);
        assertThat(o.wipeSuccess()).isEqualTo(0.95);
        assertThat(o.reSignInDelay()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void everyOptionIsRead() {
        SimulatorOptions o = OptionsParser.parse(List.of(
                "--registry",
                "http://h:1/",
                "--policy=http://h:3",
                "--compliance",
                "http://h:4",
                "--kafka",
                "h:9",
                "--keys-dir",
                "/k",
                "--tenants",
                "3",
                "--run-id",
                "abc-1",
                "--devices",
                "6000",
                "--apps",
                "4000",
                "--multi-account-share",
                "0.3",
                "--platform-mix",
                "android=60,ios=40",
                "--non-compliant-share",
                "0.25",
                "--remediation-success",
                "1",
                "--rate",
                "12.5",
                "--duration",
                "PT2M",
                "--seed",
                "-7",
                "--no-policy",
                "--report",
                "out.html",
                "--no-progress",
                "--profile-success",
                "0.75",
                "--wipe-success",
                "0.5",
                "--re-sign-in-delay",
                "500ms"));

        assertThat(o.registry()).hasToString("http://h:1");
        assertThat(o.policy()).hasToString("http://h:3");
        assertThat(o.keysDir()).isEqualTo(Path.of("/k"));
        assertThat(o.tenants()).isEqualTo(3);
        assertThat(o.runId()).isEqualTo("abc-1");
        assertThat(o.fleetSize()).isEqualTo(10_000);
        assertThat(o.multiAccountShare()).isEqualTo(0.3);
        assertThat(o.platformMix()).isEqualTo(Map.of(FleetPlatform.ANDROID, 60, FleetPlatform.IOS, 40));
        assertThat(o.nonCompliantShare()).isEqualTo(0.25);
        assertThat(o.remediationSuccess()).isEqualTo(1.0);
        assertThat(o.rate()).isEqualTo(12.5);
        assertThat(o.duration()).isEqualTo(Duration.ofMinutes(2));
        assertThat(o.seed()).isEqualTo(-7);
        assertThat(o.createPolicy()).isFalse();
        assertThat(o.progress()).isFalse();
        assertThat(o.report()).contains(Path.of("out.html"));
        assertThat(o.profileSuccess()).isEqualTo(0.75);
        assertThat(o.wipeSuccess()).isEqualTo(0.5);
        assertThat(o.reSignInDelay()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void aDataDirGivesTheStacksKeysAndAddresses(@TempDir Path dir) throws Exception {
        Files.writeString(
                dir.resolve("stack.properties"),
                "device-registry.url=http\\://127.0.0.1\\:8281\npolicy-service.url=http\\://127.0.0.1\\:8283\n"
                        + "compliance-service.url=http\\://127.0.0.1\\:8284\nkafka.bootstrap.servers=127.0.0.1\\:19292\n");

        SimulatorOptions o = OptionsParser.parse(List.of("--data-dir", dir.toString()));

        assertThat(o.registry()).hasToString("http://127.0.0.1:8281");
        assertThat(o.compliance()).hasToString("http://127.0.0.1:8284");
        assertThat(o.kafka()).isEqualTo("127.0.0.1:19292");
        assertThat(o.keysDir()).isEqualTo(dir.resolve("keys"));
    }

    @Test
    void durationsReadShortAndIsoForms() {
        assertThat(OptionsParser.parseDuration("--d", "90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(OptionsParser.parseDuration("--d", "5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(OptionsParser.parseDuration("--d", "250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(OptionsParser.parseDuration("--d", "PT1M30S")).isEqualTo(Duration.ofSeconds(90));
        assertThat(OptionsParser.parseDuration("--d", "7")).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void mistakesNameTheOption() {
        assertRefused(List.of("--devices", "-1"), "--devices");
        assertRefused(List.of("--devices", "ten"), "--devices");
        assertRefused(List.of("--rate", "0"), "--rate");
        assertRefused(List.of("--non-compliant-share", "1.5"), "--non-compliant-share");
        assertRefused(List.of("--duration", "soon"), "--duration");
        assertRefused(List.of("--duration", "0s"), "--duration");
        assertRefused(List.of("--platform-mix", "android=50,nokia=50"), "nokia");
        assertRefused(List.of("--platform-mix", "android=0"), "--platform-mix");
        assertRefused(List.of("--platform-mix", "android=1,android=2"), "android");
        assertRefused(List.of("--registry", "ftp://x"), "--registry");
        assertRefused(List.of("--run-id", "a b"), "--run-id");
        assertRefused(List.of("--tenant", "demo", "--tenants", "2"), "--tenant: only with --tenants 1");
        assertRefused(List.of("--tenant", "de mo"), "--tenant");
        assertRefused(List.of("--devices", "0", "--apps", "0"), "empty");
        assertRefused(List.of("--colour", "red"), "unknown option: --colour");
        assertRefused(List.of("--seed"), "--seed: needs a value");
        assertRefused(List.of("stray"), "unexpected argument");
        assertRefused(List.of("--profile-success", "2"), "--profile-success");
        assertRefused(List.of("--wipe-success", "-0.1"), "--wipe-success");
        assertRefused(List.of("--re-sign-in-delay", "0s"), "--re-sign-in-delay");
    }

    @Test
    void helpIsNotAnError() {
        assertThatThrownBy(() -> OptionsParser.parse(List.of("--help")))
                .isInstanceOf(OptionsParser.HelpRequested.class);
    }

    private static void assertRefused(List<String> args, String message) {
        assertThatThrownBy(() -> OptionsParser.parse(args))
                .isInstanceOf(IllegalArgumentException.class)
                .isNotInstanceOf(OptionsParser.HelpRequested.class)
                .hasMessageContaining(message);
    }
}
