package dev.bulwark.policy.protection;

import dev.bulwark.rules.Version;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BinaryOperator;

/**
 * Where several app protection policies apply to the same user and app, the most restrictive value of each setting
 * wins. This class knows, setting by setting, which of two values is the stricter one; it also tells which settings of
 * a policy are weaker than a template's.
 *
 * <p>Enumerations are declared from mildest to harshest, so the stricter one is the later constant.
 */
public final class MostRestrictive {

    private static final BinaryOperator<Object> EITHER = (a, b) -> (Boolean) a || (Boolean) b;
    private static final BinaryOperator<Object> BOTH = (a, b) -> (Boolean) a && (Boolean) b;
    private static final BinaryOperator<Object> LATER_CONSTANT =
            (a, b) -> ((Enum<?>) b).ordinal() > ((Enum<?>) a).ordinal() ? b : a;
    private static final BinaryOperator<Object> LARGER = (a, b) -> (Integer) b > (Integer) a ? b : a;
    private static final BinaryOperator<Object> SMALLER = (a, b) -> (Integer) b < (Integer) a ? b : a;
    private static final BinaryOperator<Object> SHORTER = (a, b) -> ((Duration) b).compareTo((Duration) a) < 0 ? b : a;
    /** 0 days = the PIN never has to be reset, the mildest value. */
    private static final BinaryOperator<Object> SOONER_RESET = (a, b) -> {
        int x = (Integer) a;
        int y = (Integer) b;
        if (x == 0) {
            return y;
        }
        return y != 0 && y < x ? y : x;
    };

    private static final BinaryOperator<Object> HIGHER_MINIMUMS =
            (a, b) -> higherMinimums((VersionLevels) a, (VersionLevels) b);

    private static final Map<String, BinaryOperator<Object>> STRICTER = Map.ofEntries(
            Map.entry("pinRequired", EITHER),
            Map.entry("pinCharacterSet", LATER_CONSTANT),
            Map.entry("pinMinimumLength", LARGER),
            Map.entry("simplePinBlocked", EITHER),
            Map.entry("maximumPinRetries", SMALLER),
            Map.entry("afterMaximumPinRetries", LATER_CONSTANT),
            Map.entry("pinResetAfterDays", SOONER_RESET),
            Map.entry("offlineGracePeriodBeforeAccessCheck", SHORTER),
            Map.entry("offlineGracePeriodBeforeWipe", SHORTER),
            Map.entry("minimumOsVersion", HIGHER_MINIMUMS),
            Map.entry("minimumAppVersion", HIGHER_MINIMUMS),
            Map.entry("jailbrokenOrRooted", LATER_CONSTANT),
            Map.entry("disabledAccount", LATER_CONSTANT),
            Map.entry("sendDataTo", LATER_CONSTANT),
            Map.entry("receiveDataFrom", LATER_CONSTANT),
            Map.entry("clipboard", LATER_CONSTANT),
            Map.entry("saveAsAllowed", BOTH),
            Map.entry("backupAllowed", BOTH),
            Map.entry("printAllowed", BOTH),
            Map.entry("screenCaptureAllowed", BOTH),
            // Without automated remediation a non-compliant account is signed out at once: off is the stricter.
            Map.entry("remediationEnabled", BOTH),
            Map.entry("remediationDeadline", SHORTER));

    private static final RecordComponent[] COMPONENTS = AppProtectionSettings.class.getRecordComponents();
    private static final Constructor<AppProtectionSettings> CONSTRUCTOR = canonicalConstructor();

    static {
        for (RecordComponent component : COMPONENTS) {
            if (!STRICTER.containsKey(component.getName())) {
                throw new IllegalStateException("no merge rule for setting " + component.getName());
            }
        }
    }

    private MostRestrictive() {}

    /** The stricter value of every setting of {@code a} and {@code b}; both must be complete (validated). */
    public static AppProtectionSettings merge(AppProtectionSettings a, AppProtectionSettings b) {
        Object[] values = new Object[COMPONENTS.length];
        for (int i = 0; i < COMPONENTS.length; i++) {
            values[i] = STRICTER.get(COMPONENTS[i].getName()).apply(value(COMPONENTS[i], a), value(COMPONENTS[i], b));
        }
        return construct(values);
    }

    /** The most restrictive combination of one or more complete settings. */
    public static AppProtectionSettings mergeAll(List<AppProtectionSettings> all) {
        if (all.isEmpty()) {
            throw new IllegalArgumentException("nothing to merge");
        }
        AppProtectionSettings merged = all.get(0);
        for (int i = 1; i < all.size(); i++) {
            merged = merge(merged, all.get(i));
        }
        return merged;
    }

    /** The settings of {@code candidate} that are milder than {@code floor}'s; both must be complete. */
    public static List<String> weakerThan(AppProtectionSettings candidate, AppProtectionSettings floor) {
        List<String> weaker = new ArrayList<>();
        for (RecordComponent component : COMPONENTS) {
            Object mine = value(component, candidate);
            Object stricter = STRICTER.get(component.getName()).apply(mine, value(component, floor));
            if (!Objects.equals(stricter, mine)) {
                weaker.add(component.getName());
            }
        }
        return weaker;
    }

    /** A setting's value by its name, for messages. */
    public static Object valueOf(AppProtectionSettings settings, String name) {
        return Arrays.stream(COMPONENTS)
                .filter(c -> c.getName().equals(name))
                .findFirst()
                .map(c -> value(c, settings))
                .orElseThrow();
    }

    private static VersionLevels higherMinimums(VersionLevels a, VersionLevels b) {
        return new VersionLevels(higher(a.warn(), b.warn()), higher(a.block(), b.block()), higher(a.wipe(), b.wipe()));
    }

    /** The higher minimum of two optional versions; on a tie the first, so an unchanged value stays equal. */
    private static String higher(String a, String b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return Version.compare(b, a) > 0 ? b : a;
    }

    private static Object value(RecordComponent component, AppProtectionSettings settings) {
        try {
            return component.getAccessor().invoke(settings);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException(e);
        }
    }

    private static AppProtectionSettings construct(Object[] values) {
        try {
            return CONSTRUCTOR.newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Constructor<AppProtectionSettings> canonicalConstructor() {
        Class<?>[] types =
                Arrays.stream(COMPONENTS).map(RecordComponent::getType).toArray(Class<?>[]::new);
        try {
            return AppProtectionSettings.class.getDeclaredConstructor(types);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }
}
