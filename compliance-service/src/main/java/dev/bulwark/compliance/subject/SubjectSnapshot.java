package dev.bulwark.compliance.subject;

import dev.bulwark.compliance.rules.Violation;
import java.util.List;

/** A subject's state and the violations that put it there, as the state machine needs them. */
public record SubjectSnapshot(SubjectState state, List<Violation> violations) {

    public SubjectSnapshot {
        violations = List.copyOf(violations);
    }
}
