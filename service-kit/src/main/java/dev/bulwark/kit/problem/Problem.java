package dev.bulwark.kit.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An RFC 9457 problem details body. {@code errors} names each field that broke a rule, so a client can show the
 * message next to the right input.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** One field and the rule it broke. */
    public record FieldError(String field, String message) {}

    public static Problem of(int status, String title, String detail, String instance, List<FieldError> errors) {
        return new Problem(
                "https://bulwark.dev/problems/" + slug(title),
                title,
                status,
                detail,
                instance,
                errors.isEmpty() ? null : errors);
    }

    private static String slug(String title) {
        return title.toLowerCase(java.util.Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-")
                .replaceAll("(^-|-$)", "");
    }
}
