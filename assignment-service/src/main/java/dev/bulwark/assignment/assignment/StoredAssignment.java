package dev.bulwark.assignment.assignment;

import dev.bulwark.assignment.targeting.AssignmentRule;
import dev.bulwark.assignment.targeting.Intent;
import dev.bulwark.assignment.targeting.TargetLine;
import java.util.List;

/** An assignment as stored: which app, with which intent and targets, at which version. */
public record StoredAssignment(
        String tenantId, String assignmentId, String appId, Intent intent, long version, List<TargetLine> targets) {

    public StoredAssignment {
        targets = List.copyOf(targets);
    }

    public AssignmentRule rule() {
        return new AssignmentRule(assignmentId, intent, targets);
    }
}
