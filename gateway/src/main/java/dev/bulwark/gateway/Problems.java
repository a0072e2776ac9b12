package dev.bulwark.gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * The gateway's own refusals as problem+json (RFC 9457), in the shape of the services' own (service-kit's
 * {@code Problem}: type, title, status, detail, instance), so a client handles one kind of error body whoever answered.
 * The gateway does not depend on service-kit, which brings the database and Kafka with it.
 */
final class Problems {

    static final String CONTENT_TYPE = "application/problem+json";

    private Problems() {}

    static Buffer body(int status, String title, String detail, String instance) {
        String slug =
                title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
        return new JsonObject()
                .put("type", "https://bulwark.dev/problems/" + slug)
                .put("title", title)
                .put("status", status)
                .put("detail", detail)
                .put("instance", instance)
                .toBuffer();
    }
}
