package dev.bulwark.compliance.flow;

import static io.restassured.RestAssured.given;

import dev.bulwark.testsupport.BulwarkInfra;
import dev.bulwark.testsupport.TestTokens;
import dev.bulwark.testsupport.TopicProbe;
import io.restassured.response.ValidatableResponse;

/** compliance-service's REST calls as a tenant's admin, for the flow tests. */
final class Api {

    private Api() {}

    static ValidatableResponse subject(String tenantId, String subjectId) {
        return given().auth()
                .oauth2(TestTokens.admin(tenantId))
                .when()
                .get("/api/v1/subjects/{id}", subjectId)
                .then();
    }

    static ValidatableResponse access(String tenantId, String subjectId) {
        return given().auth()
                .oauth2(TestTokens.admin(tenantId))
                .queryParam("subjectId", subjectId)
                .when()
                .get("/api/v1/access")
                .then();
    }

    /** {@code GET /api/v1/access?subjectId=&resource=} */
    static ValidatableResponse access(String tenantId, String subjectId, String resource) {
        return given().auth()
                .oauth2(TestTokens.admin(tenantId))
                .queryParam("subjectId", subjectId)
                .queryParam("resource", resource)
                .when()
                .get("/api/v1/access")
                .then();
    }

    static ValidatableResponse timeline(String tenantId, String subjectId) {
        return given().auth()
                .oauth2(TestTokens.admin(tenantId))
                .when()
                .get("/api/v1/subjects/{id}/timeline", subjectId)
                .then();
    }

    /** {@code GET /api/v1/wipes?subjectId=} */
    static ValidatableResponse wipesOf(String tenantId, String subjectId) {
        return given().auth()
                .oauth2(TestTokens.admin(tenantId))
                .queryParam("subjectId", subjectId)
                .when()
                .get("/api/v1/wipes")
                .then();
    }

    static TopicProbe probe(String topic) {
        return TopicProbe.open(BulwarkInfra.kafkaBootstrap(), topic);
    }
}
