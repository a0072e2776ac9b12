package dev.bulwark.policy.flow;

import static dev.bulwark.policy.flow.Fixtures.EVENT_TIMEOUT;
import static dev.bulwark.policy.flow.Fixtures.appPolicy;
import static dev.bulwark.policy.flow.Fixtures.includeGroup;
import static dev.bulwark.policy.flow.ProfileFixtures.profile;
import static dev.bulwark.policy.flow.ProfileFixtures.userGroup;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulwark.contract.Topics;
import dev.bulwark.events.ConfigurationProfileApplyRequested;
import dev.bulwark.events.Platform;
import dev.bulwark.testsupport.BulwarkInfra;
import dev.bulwark.testsupport.DatabaseOutage;
import dev.bulwark.testsupport.DeadLetters;
import dev.bulwark.testsupport.TopicProbe;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Transient is not poison: directory events that arrive while policy-service's database is away wait (readiness DOWN
 * names the channel) and are applied once the database is back — none dead-lettered, each effect once.
 */
@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "policy_service"))
class DatabaseOutageTest {

    private static final String MAIL = "com.contoso.mail";
    private static final Pattern ATTEMPTS = Pattern.compile("\\((\\d+) attempts\\)");

    @Test
    void directoryEventsThatArriveWhileTheDatabaseIsAwayAreAppliedOnceItIsBackAndNoneIsDeadLettered() {
        Fixtures f = new Fixtures();
        ProfileFixtures p = new ProfileFixtures(f);
        f.licence("before", true);
        f.join("team", "before");
        f.createAppPolicy(appPolicy(MAIL, null, "{}", "[" + includeGroup("team") + "]"));
        p.enroll("u0-phone", "u0", Platform.ANDROID);
        p.awaitDeviceKnown("u0-phone");
        f.awaitSignIn("before", MAIL, "PROTECTED");
        String profileId = p.create(profile(
                "Passcode",
                "ANDROID",
                "PASSWORD",
                "{\"minimumLength\": 6, \"complexity\": \"NUMERIC\"}",
                "[" + userGroup("team") + "]"));
        List<String> users = IntStream.range(0, 8).mapToObj(i -> "u" + i).toList();

        try (TopicProbe commands = TopicProbe.open(BulwarkInfra.kafkaBootstrap(), Topics.MDM_COMMANDS)) {
            try (DatabaseOutage outage = DatabaseOutage.begin(database())) {
                for (String user : users) {
                    f.licence(user, true);
                    f.join("team", user);
                }
                // the directory channel keeps failing on the same record, and says so
                // the directory channel retries the same record and says so (today's code dead-letters it instead)
                await("readiness DOWN naming the directory channel after several attempts, or a dead letter")
                        .atMost(EVENT_TIMEOUT)
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> attempts("directory") >= 4
                                || DeadLetters.keys("policy-service").stream().anyMatch(users::contains));
                assertThat(DeadLetters.keys("policy-service")).doesNotContainAnyElementsOf(users);
                assertThat(attempts("directory")).isGreaterThanOrEqualTo(4);
            }

            await("readiness UP again").atMost(EVENT_TIMEOUT).until(() -> consumersUp());
            for (String user : users) {
                f.awaitSignIn(user, MAIL, "PROTECTED");
            }
            // u0 joined the profile's group during the outage: its phone gets the profile, once
            await("one profile command for u0's phone, and only one")
                    .atMost(EVENT_TIMEOUT)
                    .during(Duration.ofSeconds(3))
                    .until(() -> commands.all().stream()
                                    .map(r -> r.event())
                                    .filter(e -> e instanceof ConfigurationProfileApplyRequested apply
                                            && apply.getTenantId().equals(f.tenant)
                                            && apply.getDeviceId().equals("u0-phone")
                                            && apply.getProfileId().equals(profileId))
                                    .count()
                            == 1);
        }
        assertThat(DeadLetters.keys("policy-service")).doesNotContainAnyElementsOf(users);
    }

    private static String database() {
        return DatabaseOutage.databaseOf(
                ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class));
    }

    /** The "consumers" readiness check's data: failing channel → what it says. */
    private static Map<String, String> consumers() {
        JsonPath health = given().get("/q/health/ready").then().extract().jsonPath();
        Map<String, String> data = health.getMap("checks.find { it.name == 'consumers' }.data");
        return data == null ? Map.of() : data;
    }

    /** How many attempts the "consumers" readiness check reports for {@code channel} (0 when it is not failing). */
    private static int attempts(String channel) {
        Matcher attempts = ATTEMPTS.matcher(consumers().getOrDefault(channel, ""));
        return attempts.find() ? Integer.parseInt(attempts.group(1)) : 0;
    }

    private static boolean consumersUp() {
        JsonPath health = given().get("/q/health/ready").then().extract().jsonPath();
        return "UP".equals(health.getString("checks.find { it.name == 'consumers' }.status"));
    }
}
