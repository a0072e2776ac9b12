package dev.bulwark.gateway;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Three upstreams that answer every request with what they received (their name, method, URI, Authorization header
 * and body) and one address where nothing listens (compliance-service), so the routing tests see exactly what the
 * gateway forwarded and what it does when a service is down.
 */
public class EchoUpstreams implements QuarkusTestResourceLifecycleManager {

    static final Service DOWN = Service.COMPLIANCE_SERVICE;

    private Vertx vertx;
    private final List<HttpServer> servers = new ArrayList<>();

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        Map<String, String> config = new HashMap<>();
        for (Service service : Service.values()) {
            int port = service == DOWN ? closedPort() : echo(service);
            config.put("bulwark.gateway.upstream." + service.moduleName(), "http://127.0.0.1:" + port);
        }
        return config;
    }

    private int echo(Service service) {
        try {
            HttpServer server = vertx.createHttpServer()
                    .requestHandler(request -> request.body().onSuccess(body -> request.response()
                            .putHeader("Content-Type", "application/json")
                            .setStatusCode("/teapot".equals(request.path()) ? 418 : 200)
                            .end(new JsonObject()
                                    .put("service", service.moduleName())
                                    .put("method", request.method().name())
                                    .put("uri", request.uri())
                                    .put("authorization", request.getHeader("Authorization"))
                                    .put("body", body.toString())
                                    .encode())))
                    .listen(0, "127.0.0.1")
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            servers.add(server);
            return server.actualPort();
        } catch (Exception e) {
            throw new IllegalStateException("could not start the echo upstream of " + service.moduleName(), e);
        }
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }
}
