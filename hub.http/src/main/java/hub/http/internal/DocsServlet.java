package hub.http.internal;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * The API explorer at {@code /api/docs}: Swagger UI (from its WebJar, embedded in this bundle) on the hub's own
 * OpenAPI document, {@code /api/openapi.json}, which also describes the Open Inference Protocol routes and
 * {@code /metrics}. "Authorize" takes an API key; Swagger UI keeps it in the browser's storage only.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({"/api/docs", "/api/docs/*"})
public class DocsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    /** Where this bundle holds Swagger UI's files (its WebJar's path, from the manifest). */
    private final String root;

    /** @param context this bundle, whose manifest names Swagger UI's folder */
    @org.osgi.service.component.annotations.Activate
    public DocsServlet(org.osgi.framework.BundleContext context) {
        this.root = "/" + context.getBundle().getHeaders().get("Hub-Swagger-UI") + "/";
    }
    private static final Map<String, String> FILES = Map.of(
            "swagger-ui-bundle.js", "application/javascript",
            "swagger-ui.css", "text/css",
            "favicon-32x32.png", "image/png",
            "favicon-16x16.png", "image/png",
            "swagger-ui-bundle.js.LICENSE.txt", "text/plain");
    static final String PAGE = """
            <!doctype html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <title>Vision Model Hub API</title>
              <link rel="stylesheet" href="swagger-ui.css">
              <link rel="icon" type="image/png" href="favicon-32x32.png" sizes="32x32">
              <style>body { margin: 0; }</style>
            </head>
            <body>
              <div id="swagger-ui"></div>
              <script src="swagger-ui-bundle.js"></script>
              <script src="init.js"></script>
            </body>
            </html>
            """;
    static final String INIT = """
            window.ui = SwaggerUIBundle({
              url: "../openapi.json",
              dom_id: "#swagger-ui",
              deepLinking: true,
              persistAuthorization: true,
              tryItOutEnabled: false
            });
            """;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getRequestURI().substring(req.getContextPath().length());
        if (path.equals("/api/docs")) {
            resp.sendRedirect(req.getContextPath() + "/api/docs/");
            return;
        }
        String name = path.substring("/api/docs/".length());
        if (name.isEmpty() || name.equals("index.html")) {
            write(resp, "text/html; charset=utf-8", PAGE.getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (name.equals("init.js")) {
            write(resp, "application/javascript; charset=utf-8", INIT.getBytes(StandardCharsets.UTF_8));
            return;
        }
        String type = FILES.get(name);
        if (type == null) {
            resp.sendError(404, "no file " + name + " in the API explorer");
            return;
        }
        try (InputStream in = getClass().getResourceAsStream(root + name)) {
            if (in == null) {
                resp.sendError(404, "Swagger UI's " + name + " is missing from this bundle");
                return;
            }
            resp.setHeader("Cache-Control", "max-age=86400");
            write(resp, type, in.readAllBytes());
        }
    }

    private static void write(HttpServletResponse resp, String type, byte[] body) throws IOException {
        resp.setStatus(200);
        resp.setContentType(type);
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }
}
