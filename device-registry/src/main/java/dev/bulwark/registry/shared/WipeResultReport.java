package dev.bulwark.registry.shared;

import dev.bulwark.kit.problem.ProblemException;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * One selective wipe result as a device agent or a protected app reports it at check-in: the app whose corporate data
 * was to be removed, whether that worked, and in the app's own words why not. Both check-in paths accept it.
 */
public record WipeResultReport(
        @NotBlank @Size(max = 128) String appId,
        @NotNull Boolean succeeded,
        @Size(max = 1000) @Pattern(regexp = NO_NUL, message = "must not contain a NUL character") String reason) {

    /** Not stored, but published: a NUL in the reason would reach every consumer, so it is refused as elsewhere. */
    public static final String NO_NUL = "[^\\u0000]*";

    public WipeOutcome toOutcome() {
        return new WipeOutcome(appId, succeeded, reason);
    }

    /** The reported results as outcomes; absent means none. One app's wipe has one outcome per check-in (400 otherwise). */
    public static List<WipeOutcome> outcomes(List<WipeResultReport> reports) {
        List<WipeResultReport> all = Objects.requireNonNullElse(reports, List.of());
        requireDistinct(all, WipeResultReport::appId, "selectiveWipeResults", "appId");
        return all.stream().map(WipeResultReport::toOutcome).toList();
    }

    /** Refuses a list that names the same key twice: the report would contradict itself. */
    public static <T> void requireDistinct(List<T> items, Function<T, String> key, String list, String field) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            if (!seen.add(key.apply(items.get(i)))) {
                throw ProblemException.badRequest(
                        list + "[" + i + "]." + field, "is reported twice; report each " + field + " once");
            }
        }
    }
}
