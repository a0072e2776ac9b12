package dev.bulwark.testsupport.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MutationsTest {

    private final OpenApiDocument document = Documents.shop();
    private final List<Mutation> all = OpenApiFuzzer.plan(document, Documents.target());

    @Test
    void theBaselineBodyHonoursEveryConstraintSoThatEachMutationIsTheOnlyThingWrong() throws Exception {
        JsonNode wrongTypeOfCount = body(only("POST /api/v1/items", MutationKind.WRONG_TYPE, "count"));
        assertThat(wrongTypeOfCount.path("count").asText()).isEqualTo("fuzz");
        // Everything else is the valid baseline.
        assertThat(wrongTypeOfCount.path("name").asText()).isEqualTo("fuzz-1");
        assertThat(wrongTypeOfCount.path("code").asText()).isEqualTo("FUZZ");
        assertThat(wrongTypeOfCount.path("kind").asText()).isEqualTo("SMALL");
        assertThat(wrongTypeOfCount.path("due").asText()).isEqualTo("2022-03-10T16:15:50Z");
        assertThat(wrongTypeOfCount.path("parts")).hasSize(1);
        assertThat(wrongTypeOfCount.path("parts").get(0).path("partId").asText())
                .isEqualTo("fuzz-1");
        assertThat(wrongTypeOfCount.has("id"))
                .as("read-only fields are not sent")
                .isFalse();
    }

    @Test
    void eachFieldIsBrokenByWhatItsSchemaForbids() throws Exception {
        assertThat(body(only("POST /api/v1/items", MutationKind.OVERSIZE_STRING, "name"))
                        .path("name")
                        .asText())
                .hasSize(11);
        assertThat(body(only("POST /api/v1/items", MutationKind.OVERSIZE_STRING, "parts[0].owner"))
                        .path("parts")
                        .get(0)
                        .path("owner")
                        .asText())
                .as("no maxLength: 100,000 characters")
                .hasSize(100_000);
        assertThat(body(only("POST /api/v1/items", MutationKind.NUL_IN_STRING, "code"))
                        .path("code")
                        .asText())
                .contains("\u0000");
        JsonNode parts = body(only("POST /api/v1/items", MutationKind.OVERSIZE_ARRAY, "parts"))
                .path("parts");
        assertThat(parts).hasSize(3);
        assertThat(parts.get(0).path("partId").asText())
                .as("items differ, so a set cannot fold them")
                .isNotEqualTo(parts.get(1).path("partId").asText());
        assertThat(body(only("POST /api/v1/items", MutationKind.ABOVE_MAXIMUM, "count"))
                        .path("count")
                        .asInt())
                .isEqualTo(6);
        assertThat(body(only("POST /api/v1/items", MutationKind.UNKNOWN_ENUM, "kind"))
                        .path("kind")
                        .asText())
                .isEqualTo("FUZZ_NOT_A_VALUE");
        assertThat(body(only("POST /api/v1/items", MutationKind.PATTERN_MISMATCH, "name"))
                        .path("name")
                        .asText())
                .isBlank();
        assertThat(body(only("POST /api/v1/items", MutationKind.MISSING_REQUIRED, "parts[0].partId"))
                        .path("parts")
                        .get(0)
                        .has("partId"))
                .isFalse();
        assertThat(body(only("POST /api/v1/items", MutationKind.NULL_NOT_ALLOWED, "kind"))
                        .get("kind")
                        .isNull())
                .isTrue();
        assertThat(body(only("POST /api/v1/items", MutationKind.UNKNOWN_FIELD, "parts[0].fuzzUnknownField"))
                        .path("parts")
                        .get(0)
                        .has("fuzzUnknownField"))
                .isTrue();
    }

    @Test
    void whatIsNotInvalidByConstructionIsNotSent() {
        assertThat(find("POST /api/v1/items", MutationKind.NULL_NOT_ALLOWED, "note"))
                .as("note may be null")
                .isEmpty();
        assertThat(find("POST /api/v1/items", MutationKind.NULL_NOT_ALLOWED, "code"))
                .as("code is optional: null is its absence")
                .isEmpty();
        assertThat(find("POST /api/v1/items", MutationKind.OVERSIZE_ARRAY, "labels"))
                .as("no 1,000 distinct values of a two-value enum exist")
                .isEmpty();
        assertThat(all.stream().filter(m -> m.field().startsWith("settings"))).isEmpty();
        assertThat(find("GET /api/v1/items/{itemId}/tags/{tag}", MutationKind.PATH_DOT_DOT, "tag"))
                .as("/items/x/tags/.. is GET /items/x: another valid request")
                .isEmpty();
        assertThat(find("GET /api/v1/items/{itemId}/tags/{tag}", MutationKind.PATH_DOT_DOT, "itemId"))
                .isPresent();
    }

    @Test
    void aFreeFormValueIsFuzzedAsTheGivenBodyShowsItWithoutClaimingItsKeysAreClosed() {
        FuzzTarget target = FuzzTarget.builder(java.net.URI.create("http://localhost:1"), null, "localhost:1", "t")
                .tokens(role -> "token")
                .body(
                        "POST /api/v1/items",
                        """
                        {"name": "x", "kind": "SMALL", "parts": [{"partId": "p"}],
                         "settings": {"pinLength": 6, "label": "Work"}}""")
                .build();
        List<Mutation> planned = OpenApiFuzzer.plan(document, target);
        assertThat(planned)
                .filteredOn(m -> m.field().startsWith("settings"))
                .extracting(m -> m.kind() + " " + m.field())
                .containsExactly(
                        "WRONG_TYPE settings.pinLength",
                        "NUMBER_OVERFLOW settings.pinLength",
                        "WRONG_TYPE settings.label",
                        "NUL_IN_STRING settings.label",
                        "OVERSIZE_STRING settings.label");
    }

    @Test
    void pathIdsAndQueryParametersAreBrokenAndTheOthersStayRealistic() {
        Mutation longId = only("GET /api/v1/items/{itemId}", MutationKind.PATH_LONG_ID, "itemId");
        assertThat(longId.request().target()).isEqualTo("/api/v1/items/" + "a".repeat(65));
        assertThat(only("GET /api/v1/items/{itemId}/tags/{tag}", MutationKind.PATH_LONG_ID, "itemId")
                        .request()
                        .target())
                .hasSize("/api/v1/items//tags/fuzz-1".length() + 3_000);
        assertThat(only("GET /api/v1/items/{itemId}", MutationKind.PATH_BAD_PERCENT, "itemId")
                        .request()
                        .target())
                .isEqualTo("/api/v1/items/fuzz%zzid");
        assertThat(only("GET /api/v1/items", MutationKind.QUERY_OUT_OF_RANGE, "page")
                        .request()
                        .target())
                .isEqualTo("/api/v1/items?owner=alice&page=-1");
        assertThat(only("GET /api/v1/items", MutationKind.QUERY_MISSING_REQUIRED, "owner")
                        .request()
                        .target())
                .isEqualTo("/api/v1/items");
    }

    @Test
    void callsCarryTheTokenOfTheFirstAllowedRoleAndPublicOnesNone() {
        Mutation create = only("POST /api/v1/items", MutationKind.EMPTY_BODY, "body");
        assertThat(create.request().headers()).containsEntry("Authorization", "Bearer token-of-admin");
        assertThat(create.request().body()).isEmpty();
        assertThat(all).noneMatch(m -> m.operation().key().equals("GET /portal"));
    }

    @Test
    void theTooLargeBodyIsSentOnceAndThePlanIsTheSameEachTime() {
        assertThat(all).filteredOn(m -> m.kind() == MutationKind.BODY_TOO_LARGE).hasSize(1);
        List<Mutation> again = OpenApiFuzzer.plan(document, Documents.target());
        assertThat(again).hasSameSizeAs(all);
        for (int i = 0; i < all.size(); i++) {
            assertThat(again.get(i).describe()).isEqualTo(all.get(i).describe());
            assertThat(again.get(i).request().target())
                    .isEqualTo(all.get(i).request().target());
            assertThat(again.get(i).request().body())
                    .isEqualTo(all.get(i).request().body());
        }
    }

    private Mutation only(String operation, MutationKind kind, String field) {
        return find(operation, kind, field)
                .orElseThrow(() -> new AssertionError("no " + operation + " " + kind + " " + field + " in "
                        + all.stream().map(Mutation::describe).toList()));
    }

    private Optional<Mutation> find(String operation, MutationKind kind, String field) {
        return all.stream()
                .filter(m -> m.operation().key().equals(operation)
                        && m.kind() == kind
                        && m.field().equals(field))
                .findFirst();
    }

    private static JsonNode body(Mutation mutation) throws Exception {
        return OpenApiDocument.JSON.readTree(new String(mutation.request().body(), StandardCharsets.UTF_8));
    }
}
