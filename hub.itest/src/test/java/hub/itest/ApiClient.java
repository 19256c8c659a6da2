package hub.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** A client of the hub's HTTP API in the container under test (the port Felix HTTP was given), for the HTTP tests. */
final class ApiClient {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ApiClient() {
    }

    static int port() {
        return Integer.parseInt(System.getProperty("org.osgi.service.http.port"));
    }

    static String base() {
        return "http://127.0.0.1:" + port();
    }

    static HttpRequest.Builder request(String path, String key) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(120));
        return key == null ? b : b.header("Authorization", "Bearer " + key);
    }

    static HttpResponse<String> get(String path, String key) throws Exception {
        return HTTP.send(request(path, key).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String path, String key, String type, byte[] body) throws Exception {
        HttpRequest.Builder b = request(path, key).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (type != null) {
            b.header("Content-Type", type);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> postJson(String path, String key, String json) throws Exception {
        return post(path, key, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    /** The answer is a JSON error of that status whose message contains the text. */
    static void assertError(HttpResponse<String> r, int status, String text) throws Exception {
        assertEquals(r.body(), status, r.statusCode());
        String type = r.headers().firstValue("Content-Type").orElse("");
        assertTrue(type, type.startsWith("application/json"));
        JsonNode e = json(r).get("error");
        assertEquals(status, e.get("status").asInt());
        assertTrue(e.get("message").asText(), e.get("message").asText().contains(text));
    }

    /** A multipart/form-data body with one {@code image} part per file, in order. */
    static byte[] multipart(String boundary, Map<String, byte[]> files) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        files.forEach((name, data) -> {
            out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"" + name
                    + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.writeBytes(data);
            out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        });
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** Waits until the API answers (after start, or after a configuration change re-registered its servlet). */
    static void awaitUp() throws InterruptedException {
        HubOptions.awaitTrue("HTTP up", () -> {
            try {
                return get("/api/openapi.json", null).statusCode() == 200;
            } catch (Exception e) {
                return false;
            }
        });
    }
}
