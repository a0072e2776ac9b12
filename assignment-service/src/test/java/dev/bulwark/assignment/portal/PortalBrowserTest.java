package dev.bulwark.assignment.portal;

import static dev.bulwark.assignment.Fixtures.target;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.assignment.Fixtures;
import dev.bulwark.testsupport.BulwarkInfra;
import dev.bulwark.testsupport.Prerequisite;
import dev.bulwark.testsupport.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The web Company Portal in headless Chromium: runs src/test/portal/portal.test.mjs (playwright-core) against this
 * service and keeps a screenshot in target/portal.png. Skipped, with the reason, when chromium or the npm packages are
 * missing — failed instead under CI=true (install: apt-get install -y chromium; cd src/test/portal && npm ci).
 */
@QuarkusTest
@WithTestResource(value = BulwarkInfra.class, initArgs = @ResourceArg(name = "database", value = "assignment_service"))
class PortalBrowserTest {

    private static final Path SCRIPT_DIR = Path.of("src/test/portal");
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM_PATH", "/usr/bin/chromium"));

    @TestHTTPResource("/")
    URL base;

    @Test
    void aSignedInUserSeesTheirAppsRequestsAnInstallAndFollowsTheStoreLink() throws Exception {
        Prerequisite.require(
                Files.isExecutable(CHROMIUM),
                "chromium not found at " + CHROMIUM + " (apt-get install -y chromium, or set CHROMIUM_PATH)");
        Prerequisite.require(
                Files.isDirectory(SCRIPT_DIR.resolve("node_modules/playwright-core")),
                "playwright-core not installed (cd assignment-service/src/test/portal && npm ci)");
        String tenant = "t-" + UUID.randomUUID();
        String admin = TestTokens.admin(tenant);
        Fixtures fx = new Fixtures(tenant, admin);
        fx.licence("ivy", true);
        fx.enroll("dev-ivy", "ivy");
        fx.awaitSubject("dev-ivy");
        fx.registerApp("portal-docs");
        fx.registerApp("portal-store");
        fx.assign("portal-docs", "AVAILABLE", target("ALL_DEVICES", null, false));
        fx.assign("portal-store", "AVAILABLE", target("ALL_LICENSED_USERS", null, false));
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(30))
                .until(() -> io.restassured.RestAssured.given()
                                .auth()
                                .oauth2(TestTokens.user(tenant, "ivy"))
                                .get("/api/v1/me/apps")
                                .then()
                                .extract()
                                .jsonPath()
                                .getList("apps")
                                .size()
                        == 2);

        Path screenshot = Path.of("target/portal.png").toAbsolutePath();
        Files.deleteIfExists(screenshot);
        String baseUrl = base.toString().replaceAll("/$", "");
        Process node = new ProcessBuilder(
                        "node", "portal.test.mjs", baseUrl, TestTokens.user(tenant, "ivy"), screenshot.toString())
                .directory(SCRIPT_DIR.toFile())
                .redirectErrorStream(true)
                .start();
        boolean finished = node.waitFor(90, TimeUnit.SECONDS);
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        System.out.println("portal.test.mjs:\n" + output);
        assertThat(finished).as("portal test finished in time").isTrue();
        assertThat(output).doesNotContain("FAIL").contains("PASS the app name is shown", "SCREENSHOT");
        assertThat(node.exitValue()).as(output).isZero();
        assertThat(screenshot).exists().isNotEmptyFile();
    }
}
