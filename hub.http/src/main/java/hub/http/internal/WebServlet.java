package hub.http.internal;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

/**
 * The web page: a handful of static files from this bundle ({@code /web}), no build toolchain. The page itself asks
 * for an API key and talks to the HTTP API.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({"/", "/static/*"})
public class WebServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Map<String, String> TYPES = Map.of("html", "text/html", "js", "text/javascript", "css",
            "text/css", "svg", "image/svg+xml", "png", "image/png", "ico", "image/x-icon");

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getRequestURI().substring(req.getContextPath().length());
        String file = path.equals("/") || path.equals("/index.html") ? "index.html"
                : path.startsWith("/static/") ? path.substring("/static/".length()) : null;
        if (file == null || file.contains("..") || file.contains("/") || file.isEmpty()) {
            resp.sendError(404, "not found: " + path);
            return;
        }
        try (InputStream in = getClass().getResourceAsStream("/web/" + file)) {
            if (in == null) {
                resp.sendError(404, "not found: " + path);
                return;
            }
            String ext = file.substring(file.lastIndexOf('.') + 1);
            resp.setContentType(TYPES.getOrDefault(ext, "application/octet-stream"));
            resp.setCharacterEncoding("UTF-8");
            resp.setHeader("Cache-Control", "no-cache");
            resp.setHeader("X-Content-Type-Options", "nosniff");
            resp.setHeader("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:");
            in.transferTo(resp.getOutputStream());
        }
    }
}
