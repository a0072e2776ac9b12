package dev.bulwark.assignment.targeting;

import java.util.List;

/** An assignment as targeting sees it: its id, intent and target lines. */
public record AssignmentRule(String assignmentId, Intent intent, List<TargetLine> targets) {

    public AssignmentRule {
        targets = List.copyOf(targets);
    }
}
