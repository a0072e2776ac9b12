package dev.bulwark.gateway;

import java.net.URI;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Where each service listens: {@code bulwark.gateway.upstream.<service>} (e.g.
 * {@code BULWARK_GATEWAY_UPSTREAM_POLICY_SERVICE=http://policy-service:8080}), an http or https base address with no
 * path. Checked at start so a typo stops the gateway instead of answering 502 forever.
 */
public record Upstreams(Map<Service, URI> addresses) {

    public Upstreams {
        EnumMap<Service, URI> copy = new EnumMap<>(Service.class);
        for (Service service : Service.values()) {
            URI address = addresses.get(service);
            if (address == null) {
                throw new IllegalArgumentException("no upstream address for " + service.moduleName());
            }
            copy.put(service, checked(service, address));
        }
        addresses = Map.copyOf(copy);
    }

    /** The addresses {@code lookup} gives for each service's module name. */
    public static Upstreams from(Function<String, URI> lookup) {
        EnumMap<Service, URI> addresses = new EnumMap<>(Service.class);
        for (Service service : Service.values()) {
            addresses.put(service, lookup.apply(service.moduleName()));
        }
        return new Upstreams(addresses);
    }

    public URI of(Service service) {
        return addresses.get(service);
    }

    /** The port the address names, or its scheme's default. */
    public static int port(URI address) {
        if (address.getPort() > 0) {
            return address.getPort();
        }
        return "https".equals(address.getScheme()) ? 443 : 80;
    }

    private static URI checked(Service service, URI address) {
        String scheme = address.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException(
                    "upstream of " + service.moduleName() + " must be http:// or https://, not " + address);
        }
        if (address.getHost() == null) {
            throw new IllegalArgumentException("upstream of " + service.moduleName() + " has no host: " + address);
        }
        String path = address.getRawPath();
        if (path != null && !path.isEmpty() && !"/".equals(path) || address.getRawQuery() != null) {
            throw new IllegalArgumentException(
                    "upstream of " + service.moduleName() + " must be a base address without a path: " + address);
        }
        return address;
    }
}
