package dev.bulwark.compliance.subject;

import dev.bulwark.compliance.rules.Violation;
import java.util.List;

/** The result of one step of the state machine: the subject's next state and violations, and the effects to apply. */
public record Outcome(SubjectState state, List<Violation> violations, List<Effect> effects) {

    public Outcome {
        violations = List.copyOf(violations);
        effects = List.copyOf(effects);
    }

    static Outcome nothing(SubjectSnapshot current) {
        return new Outcome(current.state(), current.violations(), List.of());
    }

    /** True when nothing is to be written: the subject stays as it was. */
    public boolean isNoop() {
        return effects.isEmpty();
    }
}
