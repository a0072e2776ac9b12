package dev.bulwark.assignment.assignment;

import dev.bulwark.assignment.targeting.TargetLine;
import dev.bulwark.contract.Envelope;
import dev.bulwark.events.AssignmentChanged;
import dev.bulwark.events.AssignmentIntent;
import dev.bulwark.events.ChangeKind;
import dev.bulwark.events.Target;
import dev.bulwark.events.TargetKind;
import java.time.Instant;

/** Turns a stored assignment into the AssignmentChanged event other services read; the whole body, not a diff. */
final class AssignmentEvents {

    private AssignmentEvents() {}

    static AssignmentChanged changed(StoredAssignment a, ChangeKind change) {
        return AssignmentChanged.newBuilder()
                .setEventId(Envelope.newEventId())
                .setOccurredAt(Instant.now())
                .setTenantId(a.tenantId())
                .setAppId(a.appId())
                .setAssignmentId(a.assignmentId())
                .setChange(change)
                .setVersion(a.version())
                .setIntent(AssignmentIntent.valueOf(a.intent().name()))
                .setTargets(a.targets().stream().map(AssignmentEvents::target).toList())
                .build();
    }

    private static Target target(TargetLine line) {
        TargetKind kind =
                switch (line.kind()) {
                    case ALL_LICENSED_USERS -> TargetKind.ALL_USERS;
                    case ALL_DEVICES -> TargetKind.ALL_DEVICES;
                    case USER_GROUP -> TargetKind.USER_GROUP;
                    case DEVICE_GROUP -> TargetKind.DEVICE_GROUP;
                };
        return Target.newBuilder()
                .setKind(kind)
                .setGroupId(line.groupId().isEmpty() ? null : line.groupId())
                .setExcluded(line.excluded())
                .build();
    }
}
