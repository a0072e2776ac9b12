package dev.bulwark.gateway;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * The gateway's front page: where the API, the portal and each service's OpenAPI document are, so one address is
 * enough to find everything. Static: it names no upstream address (those are the operator's business).
 */
final class IndexPage {

    private static final String HTML = page();

    private IndexPage() {}

    static void serve(RoutingContext ctx) {
        ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
                .putHeader("Cache-Control", "no-cache")
                .end(HTML);
    }

    private static String page() {
        StringBuilder links = new StringBuilder();
        for (Service service : Service.values()) {
            links.append("      <li><a href=\"/openapi/")
                    .append(service.moduleName())
                    .append("\">")
                    .append(service.moduleName())
                    .append("</a> (OpenAPI 3, JSON)</li>\n");
        }
        return """
                <!doctype html>
                <html lang="en">
                <head>
                  <meta charset="utf-8">
                  <title>Bulwark</title>
                </head>
                <body>
                  <main>
                    <h1>Bulwark</h1>
                    <p>One address for the whole API: every path under <code>/api/v1/</code> is answered by the
                    service that owns it, with the bearer token you send.</p>
                    <ul>
                      <li><a href="/portal">Company Portal</a></li>
                    </ul>
                    <h2>API reference, per service</h2>
                    <ul>
                %s    </ul>
                  </main>
                </body>
                </html>
                """
                .formatted(links);
    }
}
