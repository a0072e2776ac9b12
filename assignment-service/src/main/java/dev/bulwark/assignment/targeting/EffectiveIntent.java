package dev.bulwark.assignment.targeting;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The intent that holds for one subject and app after conflicts are resolved. {@code alsoAvailable} is the "Required
 * and Available" outcome: the app is installed and still offered in the Company Portal (e.g. for a reinstall).
 */
public record EffectiveIntent(Optional<Intent> intent, boolean alsoAvailable, List<String> assignmentIds) {

    public static final EffectiveIntent NONE = new EffectiveIntent(Optional.empty(), false, List.of());

    public EffectiveIntent {
        assignmentIds = List.copyOf(assignmentIds);
    }

    public boolean is(Intent candidate) {
        return intent.filter(candidate::equals).isPresent();
    }

    /** Offered in a Company Portal: Available, or Required and Available. */
    public boolean offered() {
        return is(Intent.AVAILABLE) || alsoAvailable;
    }

    /** The intents to show, e.g. [REQUIRED, AVAILABLE]. */
    public List<Intent> shown() {
        List<Intent> shown = new ArrayList<>();
        intent.ifPresent(shown::add);
        if (alsoAvailable && !is(Intent.AVAILABLE)) {
            shown.add(Intent.AVAILABLE);
        }
        return shown;
    }
}
