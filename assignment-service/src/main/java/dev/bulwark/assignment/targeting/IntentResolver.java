package dev.bulwark.assignment.targeting;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Decides which assignments reach a subject and resolves conflicting intents the way Intune's table does:
 *
 * <ul>
 *   <li>on one side (user targets, or device targets), Required beats Uninstall beats Available — so user Required +
 *       user Available = Required and Available, user Required + user Uninstall = Required, user Available + user
 *       Uninstall = Uninstall, device Required + device Uninstall = Required;
 *   <li>across sides, Required from either side wins (Available on any side stays offered); otherwise the user side
 *       wins over the device side — so user Available + device Uninstall = Available;
 *   <li>an unmanaged app instance only has a user side, and only Available is ever effective there.
 * </ul>
 *
 * Exclusion wins over inclusion only between groups of the same kind: an excluded user group cancels the user-side
 * inclusion of that assignment, never its device-side inclusion, and the other way round.
 */
public final class IntentResolver {

    private IntentResolver() {}

    /** The effective intent of one app for a subject, from the app's assignments. */
    public static EffectiveIntent resolve(List<AssignmentRule> assignments, Audience audience) {
        Set<Intent> userSide = EnumSet.noneOf(Intent.class);
        Set<Intent> deviceSide = EnumSet.noneOf(Intent.class);
        List<String> reaching = new ArrayList<>();
        for (AssignmentRule assignment : assignments) {
            boolean viaUser = reaches(assignment, audience, true);
            boolean viaDevice = audience.managedDevice() && reaches(assignment, audience, false);
            if (!audience.managedDevice() && assignment.intent().actsOnDevice()) {
                // Required and Uninstall never act on unmanaged devices.
                continue;
            }
            if (viaUser) {
                userSide.add(assignment.intent());
            }
            if (viaDevice) {
                deviceSide.add(assignment.intent());
            }
            if (viaUser || viaDevice) {
                reaching.add(assignment.assignmentId());
            }
        }
        return combine(userSide, deviceSide, reaching);
    }

    /** The conflict table itself: user-side intents and device-side intents that reach one subject for one app. */
    public static EffectiveIntent combine(Set<Intent> userSide, Set<Intent> deviceSide, List<String> assignmentIds) {
        Optional<Intent> user = strongest(userSide);
        Optional<Intent> device = strongest(deviceSide);
        boolean anyAvailable = userSide.contains(Intent.AVAILABLE) || deviceSide.contains(Intent.AVAILABLE);
        if (user.filter(Intent.REQUIRED::equals).isPresent()
                || device.filter(Intent.REQUIRED::equals).isPresent()) {
            return new EffectiveIntent(Optional.of(Intent.REQUIRED), anyAvailable, assignmentIds);
        }
        Optional<Intent> winner = user.isPresent() ? user : device;
        return winner.map(i -> new EffectiveIntent(Optional.of(i), false, assignmentIds))
                .orElse(EffectiveIntent.NONE);
    }

    private static Optional<Intent> strongest(Set<Intent> intents) {
        if (intents.contains(Intent.REQUIRED)) {
            return Optional.of(Intent.REQUIRED);
        }
        if (intents.contains(Intent.UNINSTALL)) {
            return Optional.of(Intent.UNINSTALL);
        }
        return intents.contains(Intent.AVAILABLE) ? Optional.of(Intent.AVAILABLE) : Optional.empty();
    }

    private static boolean reaches(AssignmentRule assignment, Audience audience, boolean userSide) {
        boolean included = false;
        for (TargetLine line : assignment.targets()) {
            if (line.kind().isUserSide() != userSide || !matches(line, audience)) {
                continue;
            }
            if (line.excluded()) {
                return false;
            }
            included = true;
        }
        return included;
    }

    private static boolean matches(TargetLine line, Audience audience) {
        return switch (line.kind()) {
            case ALL_LICENSED_USERS -> audience.userLicensed();
            case ALL_DEVICES -> audience.managedDevice();
            case USER_GROUP -> audience.userGroups().contains(line.groupId());
            case DEVICE_GROUP -> audience.managedDevice()
                    && audience.deviceGroups().contains(line.groupId());
        };
    }
}
