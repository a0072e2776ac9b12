package dev.bulwark.policy.bench;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;

/**
 * The sign-in benchmark's upper anchor, in the test application only: {@code GET /bench/bare} answers about 1 KB of
 * constant JSON straight from a Vert.x route on the event loop — no authentication, no RESTEasy, no work — the most a
 * JSON endpoint of this server can do on this machine.
 */
@ApplicationScoped
public class BareJsonEndpoint {

    static final String PATH = "/bench/bare";

    private static final Buffer BODY = Buffer.buffer(body());

    void routes(@Observes Router router) {
        router.get(PATH).handler(context -> context.response()
                .putHeader("Content-Type", "application/json")
                .end(BODY));
    }

    private static byte[] body() {
        StringBuilder json = new StringBuilder("{\"userId\":\"bench-user\",\"appId\":\"com.contoso.mail\",\"items\":[");
        for (int i = 0; json.length() < 1000; i++) {
            json.append(i == 0 ? "" : ",")
                    .append("{\"setting\":\"value-")
                    .append(i)
                    .append("\"}");
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }
}
