package dev.bulwark.testsupport.fuzz;

import java.net.URI;

/** A small OpenAPI 3.1 document with the shapes the services' documents have, for the fuzzer's unit tests. */
final class Documents {

    static final String SHOP =
            """
            {"openapi": "3.1.0", "info": {"title": "shop"},
             "paths": {
              "/api/v1/items": {
               "post": {"security": [{"SecurityScheme": ["admin", "user"]}],
                        "requestBody": {"required": true,
                                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewItem"}}}}},
               "get": {"security": [{"SecurityScheme": ["admin"]}],
                       "parameters": [{"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 0}},
                                      {"name": "owner", "in": "query", "required": true, "schema": {"type": "string"}}]}
              },
              "/api/v1/items/{itemId}": {
               "get": {"security": [{"SecurityScheme": ["admin"]}],
                       "parameters": [{"name": "itemId", "in": "path", "required": true,
                                       "schema": {"type": "string", "maxLength": 64}}]}
              },
              "/api/v1/items/{itemId}/tags/{tag}": {
               "get": {"security": [{"SecurityScheme": ["admin"]}],
                       "parameters": [{"name": "itemId", "in": "path", "required": true, "schema": {"type": "string"}},
                                      {"name": "tag", "in": "path", "required": true,
                                       "schema": {"type": "string", "maxLength": 20}}]}
              },
              "/portal": {"get": {}}
             },
             "components": {"schemas": {
               "NewItem": {"type": "object", "required": ["name", "kind", "parts"],
                 "properties": {
                   "name": {"type": "string", "pattern": "\\\\S", "maxLength": 10},
                   "code": {"type": "string", "pattern": "[A-Z]{1,4}"},
                   "kind": {"$ref": "#/components/schemas/Kind"},
                   "count": {"type": "integer", "format": "int32", "minimum": 1, "maximum": 5},
                   "note": {"type": ["string", "null"]},
                   "due": {"$ref": "#/components/schemas/Instant"},
                   "settings": {"$ref": "#/components/schemas/JsonNode"},
                   "parts": {"type": "array", "maxItems": 2, "items": {"$ref": "#/components/schemas/Part"}},
                   "labels": {"type": "array", "items": {"$ref": "#/components/schemas/Kind"}},
                   "id": {"type": "string", "readOnly": true}}},
               "Part": {"type": "object", "required": ["partId"],
                 "properties": {"partId": {"type": "string", "maxLength": 20}, "owner": {"type": "string"}}},
               "Kind": {"type": "string", "enum": ["SMALL", "LARGE"]},
               "Instant": {"type": "string", "format": "date-time", "examples": ["2022-03-10T16:15:50Z"]},
               "JsonNode": {"type": "object", "properties": {"empty": {"type": "boolean"}}}
             }}}
            """;

    private Documents() {}

    static OpenApiDocument shop() {
        return OpenApiDocument.parse(SHOP);
    }

    /** A target that mints no real tokens and reaches no infrastructure: the planning is pure. */
    static FuzzTarget target() {
        return FuzzTarget.builder(URI.create("http://localhost:1"), null, "localhost:1", "tenant-a")
                .tokens(role -> "token-of-" + role)
                .value("owner", "alice")
                .build();
    }
}
