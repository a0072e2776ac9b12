package dev.bulwark.registry.imports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.bulwark.kit.problem.Problem;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Turns one line of the feed into a validated {@link ImportLine}, or refuses it naming the line and the field. Strict
 * on purpose: an unknown field (a typo such as "licenced") fails the import instead of being ignored, because a feed
 * that silently does less than its author meant is worse than one that stops.
 */
final class ImportParser {

    private final ObjectReader reader;
    private final Validator validator;

    ImportParser(ObjectMapper json, Validator validator) {
        this.reader = json.readerFor(ImportLine.class)
                .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .with(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        this.validator = validator;
    }

    ImportLine parse(long lineNumber, String text) {
        ImportLine line;
        try {
            line = reader.readValue(text);
        } catch (JsonProcessingException e) {
            throw rejection(lineNumber, e);
        }
        if (line == null) {
            throw ImportRejected.malformed(lineNumber, "body", "must be a JSON object with a type");
        }
        List<Problem.FieldError> errors = validator.validate(line).stream()
                .map(ImportParser::fieldError)
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
        if (!errors.isEmpty()) {
            throw ImportRejected.malformed(lineNumber, errors);
        }
        return line;
    }

    private static Problem.FieldError fieldError(ConstraintViolation<ImportLine> violation) {
        return new Problem.FieldError(violation.getPropertyPath().toString(), violation.getMessage());
    }

    private static ImportRejected rejection(long lineNumber, JsonProcessingException e) {
        if (e instanceof InvalidTypeIdException) {
            return ImportRejected.malformed(lineNumber, "type", "must be one of [user, group, membership]");
        }
        if (e instanceof UnrecognizedPropertyException unknown) {
            return ImportRejected.malformed(lineNumber, unknown.getPropertyName(), "is not a known field");
        }
        if (e instanceof InvalidFormatException format
                && format.getTargetType() != null
                && format.getTargetType().isEnum()) {
            return ImportRejected.malformed(
                    lineNumber,
                    field(format),
                    "must be one of " + Arrays.toString(format.getTargetType().getEnumConstants()) + ", was '"
                            + format.getValue() + "'");
        }
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            return ImportRejected.malformed(lineNumber, field(mapping), "has the wrong type");
        }
        return ImportRejected.malformed(lineNumber, "body", "is not a JSON object: " + e.getOriginalMessage());
    }

    private static String field(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .reduce((a, b) -> a + "." + b)
                .orElse("body");
    }
}
