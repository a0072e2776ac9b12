package dev.bulwark.kit.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Turns the refusals the HTTP layer makes below JAX-RS into problem+json: a body over the size limit (413), a request
 * line over its limit (414), headers over theirs (431), a path or query that is no valid URI (400, see
 * {@link UriValidationHandover}). The limits themselves are checked here, in front of Quarkus's own, because the
 * HTTP codec and Quarkus's body limit answer with an empty body and no way to change it; the codec's own limits are set
 * wider ({@code quarkus.http.limits.*} in this module's defaults) and only catch what is far over ours.
 */
@ApplicationScoped
public class HttpRefusals {

    private final ObjectMapper json;
    private final HttpLimits limits;

    HttpRefusals(
            ObjectMapper json,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K")
                    Optional<MemorySize> maxBody,
            @ConfigProperty(name = "bulwark.http.max-request-line", defaultValue = "4096") int maxRequestLine,
            @ConfigProperty(name = "bulwark.http.max-header-size", defaultValue = "20K") MemorySize maxHeaders) {
        this.json = json;
        this.limits = new HttpLimits(
                maxBody.map(MemorySize::asLongValue).orElse(Long.MAX_VALUE), maxRequestLine, maxHeaders.asLongValue());
    }

    void install(@Observes Router router) {
        // Before Quarkus's body-size check (ROUTE_ORDER_UPLOAD_LIMIT), which would answer 413 with no body.
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::checkLimits);
        // Vert.x decodes the path to match routes; a broken percent-encoding fails the routing context before any
        // handler runs, and only a failure handler sees it.
        router.route().order(Integer.MIN_VALUE).failureHandler(this::invalidTarget);
    }

    private void invalidTarget(RoutingContext context) {
        Optional<HttpLimits.Refusal> refusal =
                HttpLimits.judgeTarget(context.request().uri());
        if (refusal.isEmpty() || context.response().headWritten()) {
            context.next();
            return;
        }
        HttpLimits.Refusal r = refusal.get();
        send(context, Problem.of(r.status(), r.title(), r.detail(), rawPath(context.request()), List.of()));
    }

    private void checkLimits(RoutingContext context) {
        HttpServerRequest request = context.request();
        Optional<HttpLimits.Refusal> refusal = limits.judge(
                request.method().name().length()
                        + 1
                        + request.uri().length()
                        + 1
                        + request.version().name().length(),
                headerBytes(request.headers()),
                request.getHeader("Content-Length"));
        if (refusal.isEmpty()) {
            refusal = HttpLimits.judgeTarget(request.uri());
        }
        if (refusal.isEmpty()) {
            context.next();
            return;
        }
        HttpLimits.Refusal r = refusal.get();
        // The body (if any) is not read: the connection must close after the answer, or its bytes would be taken
        // for the next request.
        send(context, Problem.of(r.status(), r.title(), r.detail(), rawPath(request), List.of()));
    }

    private void send(RoutingContext context, Problem problem) {
        HttpServerResponse response = context.response();
        String body;
        try {
            body = json.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A problem could not be written as JSON", e);
        }
        response.setStatusCode(problem.status()).putHeader("Content-Type", Problem.MEDIA_TYPE);
        response.putHeader("Connection", "close");
        response.endHandler(done -> context.request().connection().close());
        response.end(body);
    }

    private static long headerBytes(MultiMap headers) {
        long bytes = 0;
        for (Map.Entry<String, String> header : headers) {
            bytes += header.getKey().length() + 2 + header.getValue().length() + 2;
        }
        return bytes;
    }

    /** The path as sent, for the problem's {@code instance}; never longer than a request line we accept. */
    private static String rawPath(HttpServerRequest request) {
        String uri = request.uri();
        int query = uri.indexOf('?');
        String path = query < 0 ? uri : uri.substring(0, query);
        return path.length() > 256 ? path.substring(0, 256) + "…" : path;
    }
}
