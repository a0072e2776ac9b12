package dev.bulwark.registry.problems;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.bulwark.registry.Registry;
import dev.bulwark.testsupport.BulwarkInfra;
import dev.bulwark.testsupport.RawHttp;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The refusals made below JAX-RS (the HTTP codec's and Quarkus's limits) and NUL characters anywhere
 * in a request are answered with problem+json, through the shared mechanisms in service-kit.
 */
@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "device_registry"))
class RefusalsAsProblemsTest {

    @TestHTTPResource("/")
    URI base;

    private RawHttp.Answer send(String head) {
        return RawHttp.send(base.getHost(), base.getPort(), head + "\r\nHost: localhost");
    }

    private static void assertProblem(RawHttp.Answer answer, int status) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
        assertThat(answer.header("content-type")).startsWith("application/problem+json");
        assertThat(answer.body()).contains("\"status\":" + status);
    }

    @Test
    void aBodyOverTheLimitIsA413ProblemAndTheConnectionCloses() {
        RawHttp.Answer answer = send("POST /api/v1/users HTTP/1.1\r\nContent-Type: application/json\r\n"
                + "Authorization: Bearer " + Registry.newTenant().adminToken + "\r\nContent-Length: 50000000");
        assertProblem(answer, 413);
        assertThat(answer.body()).contains("at most");
        assertThat(answer.header("connection")).isEqualTo("close");
    }

    @Test
    void aRequestLineOver4KiBIsA414Problem() {
        RawHttp.Answer answer = send("GET /api/v1/users/" + "u".repeat(5_000) + " HTTP/1.1");
        assertProblem(answer, 414);
    }

    @Test
    void aBrokenPercentEncodingInThePathOrQueryIsA400Problem() {
        String token = Registry.newTenant().adminToken;
        for (String target : new String[] {"/api/v1/users/fuzz%zzid", "/api/v1/devices?userId=fuzz%zz"}) {
            RawHttp.Answer answer = send("GET " + target + " HTTP/1.1\r\nAuthorization: Bearer " + token);
            assertProblem(answer, 400);
            assertThat(answer.body()).contains("not a valid URI").contains("%25");
        }
    }

    @Test
    void headersOverTheLimitAreA431Problem() {
        RawHttp.Answer answer = send("GET /api/v1/users HTTP/1.1\r\nX-Padding: " + "p".repeat(30_000));
        assertProblem(answer, 431);
    }

    @Test
    void aNulInAJsonStringIsA400NamingTheField() {
        Registry.newTenant()
                .asAdmin()
                .body(Map.of("userId", "ada\u0000", "displayName", "Ada"))
                .post("/api/v1/users")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("userId"));
    }

    @Test
    void aNulInAPathIdOrAQueryParameterIsA400NamingIt() {
        Registry tenant = Registry.newTenant();
        tenant.asAdmin()
                .urlEncodingEnabled(false)
                .get("/api/v1/users/ada%00")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("userId"));
        tenant.asAdmin()
                .urlEncodingEnabled(false)
                .get("/api/v1/devices?userId=ada%00")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("userId"));
    }
}
