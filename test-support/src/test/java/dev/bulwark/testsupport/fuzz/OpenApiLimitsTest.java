package dev.bulwark.testsupport.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OpenApiLimitsTest {

    @Test
    void everyRequestStringAndArrayWithoutAMaximumIsReportedEnumsAndParsedFormatsAreNot() {
        assertThat(OpenApiLimits.unbounded(Documents.shop()))
                .containsExactly(
                        "GET /api/v1/items query owner: string without maxLength",
                        "POST /api/v1/items body code: string without maxLength",
                        "POST /api/v1/items body note: string without maxLength",
                        "POST /api/v1/items body settings: free-form JSON (JsonNode) declares no limits for the"
                                + " strings and arrays inside it",
                        "POST /api/v1/items body parts[].owner: string without maxLength",
                        "POST /api/v1/items body labels: array without maxItems",
                        "GET /api/v1/items/{itemId}/tags/{tag} path itemId: string without maxLength");
    }
}
