package dev.bulwark.kit.security;

import io.quarkus.arc.Arc;
import io.quarkus.arc.ArcContainer;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jboss.logging.Logger;
import org.jose4j.json.JsonUtil;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;

/**
 * One issuer's signing keys, fetched from its JWKS (found by OIDC discovery unless a JWKS URL is configured) and kept
 * in memory, looked up by the token's {@code kid}. A {@code kid} not known triggers a fetch, but at most one per
 * {@code minRefreshInterval} (whatever the number of such tokens, and while a fetch runs the others wait for it
 * instead of fetching too), so a flood of invented key ids cannot hammer the provider; {@link #refresh} is also called
 * periodically ({@link #refreshPeriodically}). A failed fetch keeps the keys already known. The OIDC issuers' keys
 * ({@link OidcIssuers}) and device-registry's device-credential keys ({@link DeviceCredentials}) are both kept here.
 *
 * <p>When a fetch drops or replaces a key that was known, {@code rotated} is told ({@link VerificationKeysRotated}):
 * tokens verified with the old key must not be answered from the verified-token cache any longer. A key that is only
 * added changes no earlier verification, so it is not announced. In a service that callback is {@link #announce}.
 */
final class IssuerKeys {

    private static final Logger LOG = Logger.getLogger(IssuerKeys.class);
    private static final int MAX_DOCUMENT_BYTES = 512 * 1024;

    private final String issuer;
    private final Optional<URI> configuredJwksUri;
    private final OidcIssuerSettings.Timing timing;
    private final HttpClient http;
    private final Clock clock;
    private final Consumer<VerificationKeysRotated> rotated;
    private final AtomicLong fetches = new AtomicLong();

    private volatile Map<String, PublicJsonWebKey> byKeyId = Map.of();
    private volatile List<PublicJsonWebKey> withoutKeyId = List.of();
    private volatile URI jwksUri;
    private long lastAttemptMillis = Long.MIN_VALUE; // guarded by this

    /**
     * @param issuer the {@code iss} whose keys these are; its discovery document is at
     *     {@code <issuer>/.well-known/openid-configuration}
     * @param jwksUri the JWKS URL, if configured (no discovery then)
     */
    IssuerKeys(
            String issuer,
            Optional<URI> jwksUri,
            OidcIssuerSettings.Timing timing,
            HttpClient http,
            Clock clock,
            Consumer<VerificationKeysRotated> rotated) {
        this.issuer = issuer;
        this.configuredJwksUri = jwksUri;
        this.timing = timing;
        this.http = http;
        this.clock = clock;
        this.rotated = rotated;
        this.jwksUri = jwksUri.orElse(null);
    }

    /**
     * The HTTP client keys are fetched with: {@code timing}'s connect timeout, no redirects, and the JVM's proxy
     * settings ({@code -Dhttps.proxyHost} etc.), for an egress proxy.
     */
    static HttpClient httpClient(OidcIssuerSettings.Timing timing) {
        return HttpClient.newBuilder()
                .connectTimeout(timing.httpTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .proxy(ProxySelector.getDefault())
                .build();
    }

    /**
     * The {@code rotated} callback of a service's keys: fires {@link VerificationKeysRotated} as a CDI event while a
     * container runs (the token verifier observes it and drops its cached verifications); does nothing otherwise.
     */
    static void announce(VerificationKeysRotated rotated) {
        ArcContainer container = Arc.container();
        if (container != null && container.isRunning()) {
            container
                    .beanManager()
                    .getEvent()
                    .select(VerificationKeysRotated.class)
                    .fire(rotated);
        }
    }

    /**
     * Fetches each of {@code keys} now (in the background) and again every {@code every}, on one daemon thread named
     * {@code threadName}; shutting the returned executor down stops it.
     */
    static ScheduledExecutorService refreshPeriodically(List<IssuerKeys> keys, Duration every, String threadName) {
        List<IssuerKeys> all = List.copyOf(keys);
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, threadName);
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(
                () -> all.forEach(IssuerKeys::refresh), 0, every.toMillis(), TimeUnit.MILLISECONDS);
        return executor;
    }

    /**
     * The key a token with this {@code kid} and {@code alg} is verified with: known already, or found by a fetch the
     * rate limit allows now. Empty when the issuer has no such key usable for that algorithm.
     */
    Optional<PublicKey> key(Optional<String> keyId, String algorithm) {
        Optional<PublicKey> known = find(keyId, algorithm);
        if (known.isPresent()) {
            return known;
        }
        refreshIfAllowed();
        return find(keyId, algorithm);
    }

    /** Fetches the keys now unless a fetch ran less than {@code minRefreshInterval} ago. */
    synchronized void refreshIfAllowed() {
        long now = clock.millis();
        if (lastAttemptMillis != Long.MIN_VALUE
                && now - lastAttemptMillis < timing.minRefreshInterval().toMillis()) {
            return;
        }
        refresh();
    }

    /** Fetches the keys now (discovery first if the JWKS URL is not known yet). */
    synchronized void refresh() {
        lastAttemptMillis = clock.millis();
        fetches.incrementAndGet();
        try {
            if (jwksUri == null) {
                jwksUri = discover();
            }
            replaceKeys(new JsonWebKeySet(get(jwksUri)));
        } catch (IOException | JoseException | RuntimeException e) {
            LOG.warnf("Fetching the signing keys of issuer %s failed (known keys kept): %s", issuer, e);
            if (configuredJwksUri.isEmpty()) {
                jwksUri = null; // discover again next time: the provider may have moved its keys
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How many times the JWKS (and discovery, when needed) was fetched. */
    long fetches() {
        return fetches.get();
    }

    private URI discover() throws IOException, InterruptedException, JoseException {
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        Map<String, Object> document = JsonUtil.parseJson(get(URI.create(base + "/.well-known/openid-configuration")));
        if (!issuer.equals(document.get("issuer"))) {
            throw new IOException("discovery names issuer " + document.get("issuer") + ", not " + issuer);
        }
        if (!(document.get("jwks_uri") instanceof String jwks)) {
            throw new IOException("discovery names no jwks_uri");
        }
        URI uri = URI.create(jwks);
        if ("https".equals(URI.create(issuer).getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IOException("discovery's jwks_uri " + jwks + " is not https");
        }
        return uri;
    }

    private String get(URI uri) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(timing.httpTimeout())
                .header("Accept", "application/json")
                .GET()
                .build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException(uri + " answered " + response.statusCode());
            }
            byte[] bytes = body.readNBytes(MAX_DOCUMENT_BYTES + 1);
            if (bytes.length > MAX_DOCUMENT_BYTES) {
                throw new IOException(uri + " answered more than " + MAX_DOCUMENT_BYTES + " bytes");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private void replaceKeys(JsonWebKeySet set) {
        Map<String, PublicJsonWebKey> keyed = new HashMap<>();
        List<PublicJsonWebKey> unkeyed = new ArrayList<>();
        for (JsonWebKey key : set.getJsonWebKeys()) {
            if (!(key instanceof PublicJsonWebKey usable) || (key.getUse() != null && !"sig".equals(key.getUse()))) {
                continue;
            }
            if (key.getKeyId() == null) {
                unkeyed.add(usable);
            } else {
                keyed.put(key.getKeyId(), usable);
            }
        }
        boolean dropped = dropsOrReplaces(byKeyId, keyed) || !unkeyedKept(withoutKeyId, unkeyed);
        boolean hadKeys = !byKeyId.isEmpty() || !withoutKeyId.isEmpty();
        byKeyId = Map.copyOf(keyed);
        withoutKeyId = List.copyOf(unkeyed);
        if (hadKeys && dropped) {
            LOG.infof("Issuer %s replaced or removed signing keys; cached verifications are dropped", issuer);
            rotated.accept(new VerificationKeysRotated("JWKS of " + issuer + " changed"));
        }
    }

    private static boolean dropsOrReplaces(Map<String, PublicJsonWebKey> before, Map<String, PublicJsonWebKey> after) {
        for (Map.Entry<String, PublicJsonWebKey> old : before.entrySet()) {
            PublicJsonWebKey now = after.get(old.getKey());
            if (now == null || !now.getPublicKey().equals(old.getValue().getPublicKey())) {
                return true;
            }
        }
        return false;
    }

    private static boolean unkeyedKept(List<PublicJsonWebKey> before, List<PublicJsonWebKey> after) {
        for (PublicJsonWebKey old : before) {
            if (after.stream().noneMatch(k -> k.getPublicKey().equals(old.getPublicKey()))) {
                return false;
            }
        }
        return true;
    }

    private Optional<PublicKey> find(Optional<String> keyId, String algorithm) {
        if (keyId.isPresent()) {
            PublicJsonWebKey key = byKeyId.get(keyId.get());
            return key != null && fits(key, algorithm) ? Optional.of(key.getPublicKey()) : Optional.empty();
        }
        // no kid in the token: only when exactly one key of the issuer fits the algorithm
        List<PublicJsonWebKey> candidates = new ArrayList<>();
        for (PublicJsonWebKey key : byKeyId.values()) {
            if (fits(key, algorithm)) {
                candidates.add(key);
            }
        }
        for (PublicJsonWebKey key : withoutKeyId) {
            if (fits(key, algorithm)) {
                candidates.add(key);
            }
        }
        return candidates.size() == 1 ? Optional.of(candidates.get(0).getPublicKey()) : Optional.empty();
    }

    /** A key serves an algorithm when its type (and curve) fit it and its own {@code alg}, if any, is that one. */
    static boolean fits(PublicJsonWebKey key, String algorithm) {
        if (key.getAlgorithm() != null && !Objects.equals(key.getAlgorithm(), algorithm)) {
            return false;
        }
        return switch (algorithm) {
            case "RS256" -> key instanceof RsaJsonWebKey;
            case "ES256" -> key instanceof EllipticCurveJsonWebKey ec && EllipticCurves.P_256.equals(ec.getCurveName());
            default -> false;
        };
    }
}
