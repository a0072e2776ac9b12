package dev.bulwark.kit.problem;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.validation.Valid;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.PositiveOrZero;
import java.util.List;
import java.util.Map;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.Test;

/** The field a problem names is the JSON path a client wrote, list positions included. */
class FieldNamesTest {

    record Entry(@NotBlank String profileId, @PositiveOrZero long version) {}

    record Report(
            @NotBlank String osVersion,
            List<@Valid Entry> entries,
            List<@NotBlank String> tags,
            Map<String, @NotBlank String> labels) {}

    private final Validator validator = Validation.byDefaultProvider()
            .configure()
            .messageInterpolator(new ParameterMessageInterpolator())
            .buildValidatorFactory()
            .getValidator();

    @Test
    void aViolationInsideAListItemNamesTheItemThenTheField() {
        Report report = new Report(
                "14", List.of(new Entry("wifi", 1), new Entry("vpn", -1)), List.of("a", " "), Map.of("k", ""));

        List<String> fields = validator.validate(report).stream()
                .map(v -> ProblemMappers.fieldOf(v.getPropertyPath()))
                .sorted()
                .toList();

        assertThat(fields).containsExactly("entries[1].version", "labels[k]", "tags[1]");
    }

    @Test
    void aTopLevelFieldIsItsOwnName() {
        Report report = new Report("", List.of(), List.of(), Map.of());

        assertThat(validator.validate(report))
                .extracting(v -> ProblemMappers.fieldOf(v.getPropertyPath()))
                .containsExactly("osVersion");
    }
}
