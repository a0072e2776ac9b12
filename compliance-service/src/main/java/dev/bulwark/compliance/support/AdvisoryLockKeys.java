package dev.bulwark.compliance.support;

import java.nio.charset.StandardCharsets;

/** The second key of a two-key PostgreSQL advisory lock: a 32-bit FNV-1a hash of a name (collisions only over-lock). */
public final class AdvisoryLockKeys {

    private AdvisoryLockKeys() {}

    /** The key of {@code name}. */
    public static int of(String name) {
        int hash = 0x811c9dc5;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            hash = (hash ^ (b & 0xff)) * 0x01000193;
        }
        return hash;
    }
}
