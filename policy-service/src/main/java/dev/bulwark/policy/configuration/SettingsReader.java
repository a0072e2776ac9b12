package dev.bulwark.policy.configuration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bulwark.kit.validation.Limits;
import dev.bulwark.policy.support.FieldErrors;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the settings object of a profile field by field, adding an error naming {@code settings.<name>} for each fault,
 * and remembers which names it read so that anything else can be refused as an unknown setting. Secret values are
 * read with {@link #secret}, whose errors never repeat the value.
 */
final class SettingsReader {

    /** The longest period text (ISO-8601) a setting may be; {@code ProfileSettingsSchema} documents it. */
    static final int PERIOD_MAX_LENGTH = Limits.SHORT;

    /** The longest text a setting with a format (host, email address, reference) may be before it is matched. */
    static final int FORMATTED_MAX_LENGTH = 500;

    private static final Pattern REFERENCE = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]{0,30}:\\S{1,500}");

    private final ObjectNode in;
    private final FieldErrors errors;
    private final Set<String> read = new HashSet<>();

    SettingsReader(ObjectNode in, FieldErrors errors) {
        this.in = in;
        this.errors = errors;
    }

    static String field(String name) {
        return "settings." + name;
    }

    boolean has(String name) {
        read.add(name);
        JsonNode node = in.get(name);
        return node != null && !node.isNull();
    }

    Optional<String> text(String name, boolean required, int maxLength) {
        if (!has(name)) {
            errors.check(required, field(name), "is required");
            return Optional.empty();
        }
        JsonNode node = in.get(name);
        if (!node.isTextual() || node.asText().isBlank()) {
            errors.add(field(name), "must be a non-empty string");
            return Optional.empty();
        }
        if (node.asText().length() > maxLength) {
            errors.tooLong(field(name), maxLength);
            return Optional.empty();
        }
        return Optional.of(node.asText());
    }

    /** A text that must match {@code format}; {@code what} describes the format in the error. */
    Optional<String> text(String name, boolean required, Pattern format, String what) {
        Optional<String> value = text(name, required, FORMATTED_MAX_LENGTH);
        if (value.isPresent() && !format.matcher(value.get()).matches()) {
            errors.add(field(name), "must be " + what + ", was '" + value.get() + "'");
            return Optional.empty();
        }
        return value;
    }

    /** A reference to a credential kept elsewhere, e.g. {@code vault:wifi/corp} or {@code bulwark-secret:<id>}. */
    Optional<String> reference(String name) {
        return text(name, false, REFERENCE, "a reference such as 'vault:wifi/corp' (scheme:path), never a secret");
    }

    /** A write-only secret value; errors name the field only, never the value. */
    Optional<String> secret(String name, int minLength, int maxLength) {
        if (!has(name)) {
            return Optional.empty();
        }
        JsonNode node = in.get(name);
        if (!node.isTextual()) {
            errors.add(field(name), "must be a string");
            return Optional.empty();
        }
        int length = node.asText().length();
        if (length > maxLength) {
            errors.tooLong(field(name), maxLength);
            return Optional.empty();
        }
        if (length < minLength) {
            errors.add(field(name), "must be " + minLength + " to " + maxLength + " characters long");
            return Optional.empty();
        }
        return Optional.of(node.asText());
    }

    Optional<Integer> integer(String name, boolean required, int min, int max) {
        if (!has(name)) {
            errors.check(required, field(name), "is required");
            return Optional.empty();
        }
        JsonNode node = in.get(name);
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            errors.add(field(name), "must be a whole number from " + min + " to " + max);
            return Optional.empty();
        }
        int value = node.asInt();
        if (value < min || value > max) {
            errors.add(field(name), "must be from " + min + " to " + max + ", was " + value);
            return Optional.empty();
        }
        return Optional.of(value);
    }

    Optional<Boolean> bool(String name) {
        if (!has(name)) {
            return Optional.empty();
        }
        JsonNode node = in.get(name);
        if (!node.isBoolean()) {
            errors.add(field(name), "must be true or false");
            return Optional.empty();
        }
        return Optional.of(node.asBoolean());
    }

    <E extends Enum<E>> Optional<E> choice(String name, boolean required, Class<E> type) {
        if (!has(name)) {
            errors.check(required, field(name), "is required, one of " + Arrays.toString(type.getEnumConstants()));
            return Optional.empty();
        }
        JsonNode node = in.get(name);
        if (node.isTextual()) {
            for (E constant : type.getEnumConstants()) {
                if (constant.name().equals(node.asText())) {
                    return Optional.of(constant);
                }
            }
        }
        errors.add(field(name), "must be one of " + Arrays.toString(type.getEnumConstants()));
        return Optional.empty();
    }

    /**
     * A positive period as ISO-8601 text (e.g. {@code P90D}, {@code PT5M}) or, where {@code daysAllowed}, a whole
     * number of days. Returns the normalised text (days as {@code P<n>D}) and its length.
     */
    Optional<Period> period(String name, boolean daysAllowed, Duration min, Duration max) {
        if (!has(name)) {
            return Optional.empty();
        }
        JsonNode node = in.get(name);
        String text;
        Duration duration;
        String expected = daysAllowed
                ? "an ISO-8601 duration such as P90D or a whole number of days"
                : "an ISO-8601 duration such as PT5M";
        if (daysAllowed && node.isIntegralNumber() && node.canConvertToInt()) {
            text = "P" + node.asInt() + "D";
            duration = Duration.ofDays(node.asInt());
        } else if (node.isTextual()) {
            text = node.asText();
            if (text.length() > PERIOD_MAX_LENGTH) {
                errors.tooLong(field(name), PERIOD_MAX_LENGTH);
                return Optional.empty();
            }
            try {
                duration = Duration.parse(text);
            } catch (DateTimeParseException e) {
                errors.add(field(name), "must be " + expected + ", was '" + text + "'");
                return Optional.empty();
            }
        } else {
            errors.add(field(name), "must be " + expected);
            return Optional.empty();
        }
        if (duration.compareTo(min) < 0 || duration.compareTo(max) > 0) {
            errors.add(field(name), "must be from " + min + " to " + max + ", was " + text);
            return Optional.empty();
        }
        return Optional.of(new Period(text, duration));
    }

    /** Refuses every setting that was not read: an unknown setting, or one that does not belong to this type. */
    void rejectUnknown(ProfileType type) {
        for (Iterator<String> names = in.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!read.contains(name)) {
                errors.add(field(name), "unknown setting for a " + type + " profile");
            }
        }
    }

    /** A period as the admin wrote it (days normalised to P<n>D) with its length, for comparisons. */
    record Period(String text, Duration duration) {}
}
