package dev.bulwark.gateway;

import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * Puts the Vert.x reverse proxy in front of the four services: {@code /api/*}, {@code /portal} and the device
 * credential keys ({@code /.well-known/jwks.json}) go to the service that owns the path ({@link RouteTable}), {@code /openapi/<service>} to that service's OpenAPI document, and
 * {@code /} is a page linking all of it; {@code /services/<service>/api/v1/admin/...} reaches the admin paths every
 * service has (dead letters) on the one named. Requests and answers pass through untouched (the bearer token included: each
 * service verifies it itself); the gateway only adds {@code X-Bulwark-Upstream} to the answer, naming the service
 * that gave it. What the gateway refuses itself (a path no service owns, a path that is not normalised, a service that
 * does not answer) it refuses with problem+json.
 */
@ApplicationScoped
public class GatewayRoutes {

    /** The answer header naming the service that answered: for operators and for the routing tests. */
    public static final String UPSTREAM_HEADER = "X-Bulwark-Upstream";

    /**
     * Where a path every service has ({@code /api/v1/admin/...}: dead letters) is reached for one service:
     * {@code /services/compliance-service/api/v1/admin/dead-letters}.
     */
    public static final String SERVICE_PREFIX = "/services/";

    private static final Logger LOG = Logger.getLogger(GatewayRoutes.class);

    private final Upstreams upstreams;
    private final int maxConnectionsPerService;

    GatewayRoutes(Config config) {
        this.upstreams = Upstreams.from(name -> config.getValue("bulwark.gateway.upstream." + name, URI.class));
        this.maxConnectionsPerService = config.getOptionalValue(
                        "bulwark.gateway.max-connections-per-service", Integer.class)
                .orElse(64);
    }

    void install(@Observes Router router, Vertx vertx) {
        Map<Service, HttpProxy> api = new EnumMap<>(Service.class);
        Map<Service, HttpProxy> openApi = new EnumMap<>(Service.class);
        Map<Service, HttpProxy> perService = new EnumMap<>(Service.class);
        for (Service service : Service.values()) {
            URI address = upstreams.of(service);
            HttpClient client = vertx.createHttpClient(new HttpClientOptions()
                    .setSsl("https".equals(address.getScheme()))
                    .setMaxPoolSize(maxConnectionsPerService)
                    .setKeepAlive(true)
                    .setConnectTimeout(5_000));
            api.put(service, proxyTo(client, service, address, uri -> uri));
            openApi.put(service, proxyTo(client, service, address, uri -> "/q/openapi?format=json"));
            String prefix = SERVICE_PREFIX + service.moduleName();
            perService.put(service, proxyTo(client, service, address, uri -> uri.substring(prefix.length())));
        }
        router.route("/api/*").handler(ctx -> forward(ctx, api));
        router.route("/portal").handler(ctx -> forward(ctx, api));
        router.route("/portal/*").handler(ctx -> forward(ctx, api));
        router.get("/.well-known/jwks.json").handler(ctx -> forward(ctx, api));
        router.get("/openapi/:service").handler(ctx -> forwardToService(ctx, openApi));
        router.route(SERVICE_PREFIX + ":service/api/v1/admin/*").handler(ctx -> forwardToNamed(ctx, perService));
        router.get("/").handler(IndexPage::serve);
    }

    void logUpstreams(@Observes StartupEvent started) {
        for (Service service : Service.values()) {
            LOG.infof("%s -> %s", service.moduleName(), upstreams.of(service));
        }
    }

    private static void forward(RoutingContext ctx, Map<Service, HttpProxy> proxies) {
        if (!normalised(ctx)) {
            return;
        }
        String raw = ctx.request().path();
        Optional<Service> owner = RouteTable.owner(raw);
        if (owner.isEmpty()) {
            refuse(ctx, 404, "Not Found", "no service owns " + raw);
            return;
        }
        proxies.get(owner.get()).handle(ctx.request());
    }

    private static void forwardToNamed(RoutingContext ctx, Map<Service, HttpProxy> proxies) {
        if (!normalised(ctx)) {
            return;
        }
        forwardToService(ctx, proxies);
    }

    private static boolean normalised(RoutingContext ctx) {
        String raw = ctx.request().path();
        if (raw == null || !raw.equals(ctx.normalizedPath()) || raw.contains("%2F") || raw.contains("%2f")) {
            refuse(ctx, 400, "Bad Request", "the path must be normalised (no '..', '.', '//' or encoded '/'): " + raw);
            return false;
        }
        return true;
    }

    private static void forwardToService(RoutingContext ctx, Map<Service, HttpProxy> proxies) {
        String name = ctx.pathParam("service");
        for (Service service : Service.values()) {
            if (service.moduleName().equals(name)) {
                proxies.get(service).handle(ctx.request());
                return;
            }
        }
        refuse(ctx, 404, "Not Found", "no service named '" + name + "'");
    }

    private static void refuse(RoutingContext ctx, int status, String title, String detail) {
        ctx.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problems.CONTENT_TYPE)
                .end(Problems.body(status, title, detail, ctx.request().path()));
    }

    private static HttpProxy proxyTo(
            HttpClient client, Service service, URI address, UnaryOperator<String> upstreamUri) {
        return HttpProxy.reverseProxy(client)
                .origin(Upstreams.port(address), address.getHost())
                .addInterceptor(new Upstream(service, upstreamUri));
    }

    /** Names the answering service on the answer, and turns an unreachable service into a problem+json 502. */
    private record Upstream(Service service, UnaryOperator<String> upstreamUri) implements ProxyInterceptor {

        @Override
        public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
            context.request().setURI(upstreamUri.apply(context.request().getURI()));
            return context.sendRequest().recover(failure -> {
                LOG.warnf(
                        "%s did not answer %s: %s",
                        service.moduleName(), context.request().getURI(), failure);
                ProxyResponse response = context.request().response();
                response.setStatusCode(502);
                response.headers().set(HttpHeaders.CONTENT_TYPE, Problems.CONTENT_TYPE);
                response.setBody(Body.body(Problems.body(
                        502,
                        "Bad Gateway",
                        service.moduleName() + " did not answer; try again shortly",
                        context.request().getURI())));
                return Future.succeededFuture(response);
            });
        }

        @Override
        public Future<Void> handleProxyResponse(ProxyContext context) {
            context.response().headers().set(UPSTREAM_HEADER, service.moduleName());
            return context.sendResponse();
        }
    }
}
