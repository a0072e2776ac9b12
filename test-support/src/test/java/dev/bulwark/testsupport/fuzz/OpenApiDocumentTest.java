package dev.bulwark.testsupport.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OpenApiDocumentTest {

    private final OpenApiDocument document = Documents.shop();

    @Test
    void everyOperationIsListedSortedByPathThenMethodWithItsRolesParametersAndBody() {
        assertThat(document.operations())
                .extracting(ApiOperation::key)
                .containsExactly(
                        "GET /api/v1/items",
                        "POST /api/v1/items",
                        "GET /api/v1/items/{itemId}",
                        "GET /api/v1/items/{itemId}/tags/{tag}",
                        "GET /portal");
        ApiOperation create = document.operations().get(1);
        assertThat(create.roles()).containsExactly("admin", "user");
        assertThat(create.body()).hasValueSatisfying(body -> {
            assertThat(body.isJson()).isTrue();
            assertThat(body.required()).isTrue();
        });
        assertThat(document.operations().get(0).queryParameters())
                .extracting(ApiOperation.Parameter::name)
                .containsExactly("page", "owner");
        assertThat(document.operations().get(4).secured()).isFalse();
    }

    @Test
    void referencesUnionsWithNullAndJacksonTreeTypesAreResolved() {
        SchemaView item =
                document.view(document.operations().get(1).body().orElseThrow().schema());
        assertThat(item.kind()).isEqualTo(SchemaView.Kind.OBJECT);
        assertThat(item.refName()).hasValue("NewItem");
        assertThat(item.required()).containsExactly("name", "kind", "parts");

        SchemaView kind = document.view(item.properties().get("kind"));
        assertThat(kind.kind()).isEqualTo(SchemaView.Kind.STRING);
        assertThat(kind.enumValues()).containsExactly("SMALL", "LARGE");

        SchemaView note = document.view(item.properties().get("note"));
        assertThat(note.kind()).isEqualTo(SchemaView.Kind.STRING);
        assertThat(note.nullable()).isTrue();

        assertThat(document.view(item.properties().get("settings")).kind())
                .as("SmallRye describes Jackson's JsonNode by its getters; on the wire it is any JSON")
                .isEqualTo(SchemaView.Kind.FREE_FORM);
        assertThat(document.view(item.properties().get("parts")).maxItems()).hasValue(2);
    }

    @Test
    void anOperationMatchesConcretePathsOfItsTemplateOnly() {
        ApiOperation one = document.operations().get(2);
        assertThat(one.matches("/api/v1/items/42")).isTrue();
        assertThat(one.matches("/api/v1/items/42/tags/x")).isFalse();
        assertThat(one.matches("/api/v1/items")).isFalse();
    }
}
