package dev.bulwark.kit.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.ParseException;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bearer tokens that passed full verification, so that a repeat call with the same token skips the signature check.
 * Keyed by the raw token itself — the map hashes it and compares the whole token, so only the very token that was
 * verified finds its entry (a SHA-256 of it as the key cost 16 % of an in-memory sign-in's CPU under the launcher's
 * C1-only JIT and bought nothing the comparison does not; the entry holds the token anyway) — bounded in size, each
 * entry valid until
 * the token's {@code exp} (or the end of its allowed age, if sooner) and never later; every entry is dropped when the
 * verification keys or settings change ({@link #keysChanged}, or a different {@code keys} value passed to
 * {@link #verified}). A token not in the cache — new, tampered, or dropped — is always verified in full by the caller's
 * verifier. Framework-free: where the keys come from (a PEM file today, a JWKS later) is the caller's business.
 */
public final class VerifiedTokens {

    /** Full verification of a token: signature, issuer, audience, times. */
    @FunctionalInterface
    public interface Verifier {
        JWTCallerPrincipal verify(String token) throws ParseException;
    }

    private final Clock clock;
    private final Cache<String, Entry> entries;
    private final AtomicLong verifications = new AtomicLong();
    private final AtomicLong hits = new AtomicLong();
    private volatile Object keys;

    /**
     * @param maximumSize how many verified tokens are kept at most (the least recently used go first)
     * @param clock the time an entry is judged against ({@code exp} is in seconds)
     */
    public VerifiedTokens(long maximumSize, Clock clock) {
        this.clock = clock;
        this.entries = Caffeine.newBuilder()
                .maximumSize(maximumSize)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .expireAfter(new UntilTokenEnds())
                .build();
    }

    /**
     * The verified principal of {@code token}: from the cache when the same token was verified before with the same
     * {@code keys} and has not ended, otherwise from {@code verifier} (whose refusal is passed on and never cached).
     *
     * @param keys what the token is verified with (keys, issuer, audience, algorithms …), compared with
     *     {@link Object#equals}; a different value than the previous call's drops every entry first
     * @param tokenAgeSeconds the maximum age since {@code iat} the verifier allows, if it enforces one
     */
    public JWTCallerPrincipal verified(String token, Object keys, Optional<Long> tokenAgeSeconds, Verifier verifier)
            throws ParseException {
        Objects.requireNonNull(token, "token");
        if (!Objects.equals(this.keys, keys)) {
            rotate(keys);
        }
        Object current = this.keys;
        long now = clock.millis();
        Entry entry = entries.getIfPresent(token);
        if (entry != null) {
            if (entry.validUntilMillis > now && entry.keys == current && token.equals(entry.token)) {
                hits.incrementAndGet();
                return entry.principal;
            }
            entries.asMap().remove(token, entry);
        }
        verifications.incrementAndGet();
        JWTCallerPrincipal principal;
        try {
            principal = verifier.verify(token);
        } catch (ParseException | RuntimeException refused) {
            // an entry that ended may still sit in Caffeine's timer wheel (its buckets are ~1 s wide) although no
            // lookup returns it any more: a refused token is not kept at all
            entries.invalidate(token);
            throw refused;
        }
        long validUntil = validUntilMillis(principal, tokenAgeSeconds);
        if (validUntil > clock.millis() && this.keys == current) {
            entries.put(token, new Entry(principal, token, validUntil, current));
        }
        return principal;
    }

    /**
     * Keeps a token this service issued itself as verified, under the keys in force, so that its first use is not
     * verified again (see {@link CachingTokenVerifier#rememberIssued}). Nothing is kept before any token was verified
     * (no keys known yet) or for a token that has ended.
     */
    public void remember(String token, JWTCallerPrincipal principal, Optional<Long> tokenAgeSeconds) {
        Object current = this.keys;
        long validUntil = validUntilMillis(principal, tokenAgeSeconds);
        if (current != null && validUntil > clock.millis()) {
            entries.put(token, new Entry(principal, token, validUntil, current));
        }
    }

    /**
     * The principal of {@code token} if it is cached under the current keys and has not ended; never verifies.
     */
    public Optional<JWTCallerPrincipal> alreadyVerified(String token) {
        Object current = this.keys;
        Entry entry = entries.getIfPresent(token);
        if (entry != null
                && current != null
                && entry.keys == current
                && entry.validUntilMillis > clock.millis()
                && token.equals(entry.token)) {
            hits.incrementAndGet();
            return Optional.of(entry.principal);
        }
        return Optional.empty();
    }

    /** Drops every verified token: the keys that verified them may no longer be trusted. */
    public void keysChanged() {
        entries.invalidateAll();
    }

    /** How many tokens were verified in full (cache misses) since start. */
    public long verifications() {
        return verifications.get();
    }

    /** How many calls were answered from the cache since start. */
    public long hits() {
        return hits.get();
    }

    /** How many verified tokens are kept now (after pending evictions). */
    public long size() {
        entries.cleanUp();
        return entries.estimatedSize();
    }

    private synchronized void rotate(Object newKeys) {
        if (!Objects.equals(this.keys, newKeys)) {
            this.keys = newKeys;
            entries.invalidateAll();
        }
    }

    /** The end of the token's life: its {@code exp}, or {@code iat} + the allowed age when that comes first. */
    private static long validUntilMillis(JWTCallerPrincipal principal, Optional<Long> tokenAgeSeconds) {
        long exp = principal.getExpirationTime();
        if (exp <= 0) {
            return Long.MIN_VALUE; // no exp: never cached, verified every time
        }
        long until = exp;
        if (tokenAgeSeconds.isPresent()) {
            long iat = principal.getIssuedAtTime();
            if (iat <= 0) {
                return Long.MIN_VALUE;
            }
            until = Math.min(until, iat + tokenAgeSeconds.get());
        }
        return TimeUnit.SECONDS.toMillis(until);
    }

    private record Entry(JWTCallerPrincipal principal, String token, long validUntilMillis, Object keys) {}

    /** Caffeine removes an entry when its token ends (the hit path checks the time itself as well). */
    private final class UntilTokenEnds implements Expiry<String, Entry> {
        @Override
        public long expireAfterCreate(String key, Entry value, long currentTime) {
            return Math.max(0, TimeUnit.MILLISECONDS.toNanos(value.validUntilMillis - clock.millis()));
        }

        @Override
        public long expireAfterUpdate(String key, Entry value, long currentTime, long currentDuration) {
            return expireAfterCreate(key, value, currentTime);
        }

        @Override
        public long expireAfterRead(String key, Entry value, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
