package dev.bulwark.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    private static final Path ROOT = Path.of("/repo");

    private static Command parse(String... args) {
        return CommandLine.parse(List.of(args), Map.of(), ROOT);
    }

    @Test
    void upStartsEveryServiceInTheRepositorysDataFolderByDefault() {
        Command.Up up = (Command.Up) parse("up");

        assertThat(up.services()).isEqualTo(EnumSet.allOf(BulwarkService.class));
        assertThat(up.dataDir()).isEqualTo(Path.of("/repo/.local-stack"));
        assertThat(up.exitWhenReady()).isFalse();
        assertThat(up.portOffset()).isZero();
    }

    @Test
    void upTakesServicesByModuleOrShortNameAndTheOtherOptionsInBothSpellings() {
        Command.Up up = (Command.Up) parse(
                "up",
                "--services",
                "compliance-service,policy",
                "--exit-when-ready",
                "--data-dir=/tmp/x",
                "--port-offset",
                "100");

        assertThat(up.services())
                .containsExactlyInAnyOrder(BulwarkService.COMPLIANCE_SERVICE, BulwarkService.POLICY_SERVICE);
        assertThat(up.exitWhenReady()).isTrue();
        assertThat(up.dataDir()).isEqualTo(Path.of("/tmp/x"));
        assertThat(up.portOffset()).isEqualTo(100);
    }

    @Test
    void upDemoStartsEveryServiceAndTheDemoAlsoWithExitWhenReady() {
        Command.Up plain = (Command.Up) parse("up");
        Command.Up demo = (Command.Up) parse("up", "--demo", "--port-offset", "300", "--data-dir", "/tmp/d");
        Command.Up once = (Command.Up) parse("up", "--exit-when-ready", "--demo");

        assertThat(plain.demo()).isFalse();
        assertThat(demo.demo()).isTrue();
        assertThat(demo.exitWhenReady()).isFalse();
        assertThat(demo.services()).isEqualTo(EnumSet.allOf(BulwarkService.class));
        assertThat(demo.portOffset()).isEqualTo(300);
        assertThat(once.demo()).isTrue();
        assertThat(once.exitWhenReady()).isTrue();
    }

    @Test
    void theDemoNeedsEveryServiceAndTakesNoValue() {
        assertThatThrownBy(() -> parse("up", "--demo", "--services", "device-registry"))
                .hasMessageContaining("--demo needs all four services");
        assertThatThrownBy(() -> parse("up", "--demo=yes")).hasMessageContaining("--demo takes no value");
        assertThatThrownBy(() -> parse("token", "--demo")).hasMessageContaining("unknown option --demo");
        assertThat(CommandLine.USAGE).contains("--demo");
    }

    @Test
    void upRunsReplicasOfTheServicesNamedByModuleOrShortName() {
        Command.Up up = (Command.Up) parse("up", "--replicas", "compliance=2,device-registry=3");
        Command.Up plain = (Command.Up) parse("up");

        assertThat(up.replicas())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of(BulwarkService.COMPLIANCE_SERVICE, 2, BulwarkService.DEVICE_REGISTRY, 3));
        assertThat(plain.replicas()).isEmpty();
        assertThat(CommandLine.USAGE).contains("--replicas");
    }

    @Test
    void replicasAreOneToNineOfAServiceTheStackRunsEachNamedOnce() {
        assertThatThrownBy(() -> parse("up", "--replicas", "compliance-service"))
                .hasMessageContaining("service=count");
        assertThatThrownBy(() -> parse("up", "--replicas", "compliance-service=0"))
                .hasMessageContaining("1..9");
        assertThatThrownBy(() -> parse("up", "--replicas", "compliance-service=10"))
                .hasMessageContaining("1..9");
        assertThatThrownBy(() -> parse("up", "--replicas", "compliance-service=two"))
                .hasMessageContaining("whole number");
        assertThatThrownBy(() -> parse("up", "--replicas", "compliance=2,compliance-service=3"))
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> parse("up", "--replicas", "billing=2")).hasMessageContaining("unknown service");
        assertThatThrownBy(() -> parse("up", "--services", "device-registry", "--replicas", "compliance=2"))
                .hasMessageContaining("which --services leaves out");
    }

    @Test
    void theDataFolderComesFromTheOptionThenTheEnvironmentThenTheRepository() {
        Map<String, String> env = Map.of(CommandLine.DATA_DIR_ENV, "/var/bulwark");

        assertThat(CommandLine.dataDir(Optional.of("/opt/d"), env, ROOT)).isEqualTo(Path.of("/opt/d"));
        assertThat(CommandLine.dataDir(Optional.empty(), env, ROOT)).isEqualTo(Path.of("/var/bulwark"));
        assertThat(CommandLine.dataDir(Optional.empty(), Map.of(CommandLine.DATA_DIR_ENV, " "), ROOT))
                .isEqualTo(Path.of("/repo/.local-stack"));
    }

    @Test
    void unknownCommandsOptionsServicesAndStrayArgumentsAreRefused() {
        assertThatThrownBy(() -> parse("down")).hasMessageContaining("unknown command 'down'");
        assertThatThrownBy(() -> parse("up", "--servces", "policy")).hasMessageContaining("unknown option --servces");
        assertThatThrownBy(() -> parse("up", "--services", "billing"))
                .hasMessageContaining("unknown service 'billing'");
        assertThatThrownBy(() -> parse("up", "--services", ",")).hasMessageContaining("no service named");
        assertThatThrownBy(() -> parse("up", "extra")).hasMessageContaining("unexpected argument 'extra'");
        assertThatThrownBy(() -> parse("up", "--data-dir")).hasMessageContaining("--data-dir needs a value");
        assertThatThrownBy(() -> parse("up", "--exit-when-ready=yes")).hasMessageContaining("takes no value");
        assertThatThrownBy(() -> parse("up", "--port-offset", "ten")).hasMessageContaining("whole number");
    }

    @Test
    void aTokenIsForAnAdminOfTheDemoTenantUnlessToldOtherwise() {
        Command.Token token = (Command.Token) parse("token");

        assertThat(token.request().tenantId()).isEqualTo("demo");
        assertThat(token.request().role()).isEqualTo(Role.ADMIN);
        assertThat(token.request().subject()).isEqualTo("admin@demo");
        assertThat(token.request().deviceId()).isEmpty();
        assertThat(token.request().ttl()).isEqualTo(TokenRequest.DEFAULT_TTL);
    }

    @Test
    void aDeviceTokenActsForItsDeviceAndNeedsOne() {
        Command.Token token = (Command.Token)
                parse("token", "--tenant", "t1", "--role", "device", "--device", "d-7", "--ttl", "pt5m");

        assertThat(token.request().subject()).isEqualTo("d-7");
        assertThat(token.request().deviceId()).contains("d-7");
        assertThat(token.request().ttl()).isEqualTo(Duration.ofMinutes(5));
        assertThatThrownBy(() -> parse("token", "--role", "device")).hasMessageContaining("--device");
        assertThatThrownBy(() -> parse("token", "--role", "user", "--device", "d"))
                .hasMessageContaining("--role device");
        assertThatThrownBy(() -> parse("token", "--role", "root")).hasMessageContaining("unknown role 'root'");
        assertThatThrownBy(() -> parse("token", "--ttl", "forever")).hasMessageContaining("ISO-8601");
    }

    @Test
    void eventsNeedsOneTopicAndExpandsShortNames() {
        Command.Events events = (Command.Events) parse("events", "devices", "--from-beginning", "--bootstrap", "h:1");

        assertThat(events.topic()).isEqualTo("bulwark.devices.v1");
        assertThat(events.fromBeginning()).isTrue();
        assertThat(events.bootstrap()).contains("h:1");
        assertThat(events.maxIdle()).isEmpty();
        assertThat(((Command.Events) parse("events", "bulwark.compliance-service.dlq.v1")).topic())
                .isEqualTo("bulwark.compliance-service.dlq.v1");
        assertThatThrownBy(() -> parse("events")).hasMessageContaining("exactly one topic");
        assertThatThrownBy(() -> parse("events", "a", "b")).hasMessageContaining("exactly one topic");
        assertThatThrownBy(() -> parse("events", "a", "--max-idle", "0")).hasMessageContaining("at least 1");
    }

    @Test
    void noArgumentsOrHelpAskForTheUsage() {
        assertThat(parse()).isInstanceOf(Command.Help.class);
        assertThat(parse("--help")).isInstanceOf(Command.Help.class);
    }

    @Test
    void dlqListsByDefaultAndReDrivesWhenAskedForOneServiceByModuleOrShortName() {
        Command.DeadLetters list = (Command.DeadLetters) parse("dlq", "compliance-service");
        assertThat(list.service()).isEqualTo(BulwarkService.named("compliance-service"));
        assertThat(list.redrive()).isFalse();
        assertThat(list.dataDir()).isEqualTo(Path.of("/repo/.local-stack"));

        Command.DeadLetters redrive = (Command.DeadLetters) parse("dlq", "policy", "--redrive", "--data-dir=/tmp/x");
        assertThat(redrive.service()).isEqualTo(BulwarkService.named("policy-service"));
        assertThat(redrive.redrive()).isTrue();
        assertThat(redrive.dataDir()).isEqualTo(Path.of("/tmp/x"));
        assertThat(((Command.DeadLetters) parse("dlq", "assignment", "--list")).redrive())
                .isFalse();
    }

    @Test
    void dlqNeedsOneKnownServiceAndEitherListOrRedrive() {
        assertThatThrownBy(() -> parse("dlq")).hasMessageContaining("exactly one service");
        assertThatThrownBy(() -> parse("dlq", "nowhere")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> parse("dlq", "compliance", "--list", "--redrive"))
                .hasMessageContaining("not both");
    }

    @Test
    void upSignsTokensWithTheDevKeysUnlessKeycloakIsAskedFor() {
        Command.Up plain = (Command.Up) parse("up");
        Command.Up keycloak = (Command.Up) parse("up", "--idp", "keycloak", "--port-offset", "100");
        Command.Up spelled = (Command.Up) parse("up", "--idp=KEYCLOAK", "--demo");
        Command.Up devKeys = (Command.Up) parse("up", "--idp", "dev-keys");

        assertThat(plain.identityProvider()).isEqualTo(IdentityProvider.DEV_KEYS);
        assertThat(keycloak.identityProvider()).isEqualTo(IdentityProvider.KEYCLOAK);
        assertThat(keycloak.portOffset()).isEqualTo(100);
        assertThat(spelled.identityProvider()).isEqualTo(IdentityProvider.KEYCLOAK);
        assertThat(spelled.demo()).isTrue();
        assertThat(devKeys.identityProvider()).isEqualTo(IdentityProvider.DEV_KEYS);
        assertThat(CommandLine.USAGE).contains("--idp dev-keys|keycloak");
    }

    @Test
    void anUnknownIdentityProviderOrOneWithoutAValueIsRefused() {
        assertThatThrownBy(() -> parse("up", "--idp", "okta"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--idp must be one of dev-keys, keycloak, not 'okta'");
        assertThatThrownBy(() -> parse("up", "--idp")).hasMessageContaining("--idp needs a value");
        assertThatThrownBy(() -> parse("up", "--idp", "keycloak", "--idp", "dev-keys"))
                .hasMessageContaining("--idp is given twice");
        assertThatThrownBy(() -> parse("token", "--idp", "keycloak")).hasMessageContaining("unknown option --idp");
    }
}
