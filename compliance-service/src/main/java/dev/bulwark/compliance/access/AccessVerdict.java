package dev.bulwark.compliance.access;

import java.util.Optional;

/** A decision and the message the user is shown with it; a DENY names the conditional-access rule that denied. */
public record AccessVerdict(AccessDecision decision, String message, Optional<AccessDenial> deniedBy) {

    public AccessVerdict(AccessDecision decision, String message) {
        this(decision, message, Optional.empty());
    }
}
