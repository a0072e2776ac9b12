package dev.bulwark.policy.protection;

import dev.bulwark.policy.support.FieldErrors;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The protected apps a policy covers. There is no app catalogue in this service, so any appId of a valid format (an
 * Android package name or an iOS bundle id: letters, digits, '.', '_', '-') is accepted; a malformed one is refused.
 */
public final class AppIds {

    private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,254}");

    private AppIds() {}

    public static boolean wellFormed(String appId) {
        return appId != null && FORMAT.matcher(appId).matches();
    }

    /** The distinct appIds in their order; adds an error per malformed one, or when there are none. */
    public static List<String> check(List<String> appIds, FieldErrors errors) {
        if (appIds.isEmpty()) {
            errors.add("appIds", "must name at least one protected app");
        }
        Set<String> distinct = new LinkedHashSet<>();
        for (int i = 0; i < appIds.size(); i++) {
            String appId = appIds.get(i);
            if (wellFormed(appId)) {
                distinct.add(appId);
            } else {
                errors.add(
                        "appIds[" + i + "]",
                        "unknown app '" + appId + "': an appId is a package name or bundle id"
                                + " (letters, digits, '.', '_', '-')");
            }
        }
        return new ArrayList<>(distinct);
    }
}
