package hub.itest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Just enough of the W3C WebDriver protocol to drive Debian's headless Chromium through chromedriver: navigate, find,
 * type, click, read text, run a script, take a screenshot.
 */
final class WebDriver implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final Process driver;
    private final String base;
    private final String session;

    WebDriver() throws Exception {
        int port = HubOptions.freePort();
        driver = new ProcessBuilder(CHROMEDRIVER.toString(), "--port=" + port).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        base = "http://127.0.0.1:" + port;
        long deadline = System.currentTimeMillis() + 20_000;
        while (true) {
            try {
                if (call("GET", "/status", null).at("/value/ready").asBoolean()) {
                    break;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (System.currentTimeMillis() > deadline) {
                driver.destroyForcibly();
                throw new IllegalStateException("chromedriver did not start");
            }
            Thread.sleep(100);
        }
        Map<String, Object> chrome = Map.of("binary", CHROMIUM.toString(), "args", List.of("--headless=new", "--no-sandbox",
                "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1100", "--no-first-run"));
        JsonNode s = call("POST", "/session", Map.of("capabilities", Map.of("alwaysMatch",
                Map.of("browserName", "chrome", "goog:chromeOptions", chrome))));
        session = s.at("/value/sessionId").asText();
    }

    private JsonNode call(String method, String path, Object body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                        .header("Content-Type", "application/json");
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode doc = JSON.readTree(r.body());
        if (r.statusCode() >= 400) {
            throw new IllegalStateException("WebDriver " + method + " " + path + ": " + doc.at("/value/message").asText());
        }
        return doc;
    }

    private String at(String path) {
        return "/session/" + session + path;
    }

    void open(String url) throws Exception {
        call("POST", at("/url"), Map.of("url", url));
    }

    String find(String css) throws Exception {
        return call("POST", at("/element"), Map.of("using", "css selector", "value", css)).at("/value/" + ELEMENT).asText();
    }

    void type(String css, String text) throws Exception {
        call("POST", at("/element/" + find(css) + "/value"), Map.of("text", text));
    }

    void click(String css) throws Exception {
        call("POST", at("/element/" + find(css) + "/click"), Map.of());
    }

    String text(String css) throws Exception {
        return call("GET", at("/element/" + find(css) + "/text"), null).at("/value").asText();
    }

    JsonNode script(String js) throws Exception {
        return call("POST", at("/execute/sync"), Map.of("script", js, "args", List.of())).get("value");
    }

    /** Waits until the script returns true. */
    void await(String what, String js) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        while (!script(js).asBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                JsonNode state = script("const q = (s) => document.querySelector(s);"
                        + " return [location.href, q('#live') ? q('#live').outerHTML : '',"
                        + " q('#message') ? q('#message').outerHTML : '', document.body.innerText.slice(0, 600)];");
                throw new AssertionError("timed out waiting in the browser for " + what + "; the page: " + state);
            }
            Thread.sleep(100);
        }
    }

    void screenshot(Path png) throws Exception {
        Files.createDirectories(png.getParent());
        Files.write(png, Base64.getDecoder().decode(call("GET", at("/screenshot"), null).get("value").asText()));
    }

    @Override
    public void close() {
        try {
            call("DELETE", at(""), null);
        } catch (Exception e) {
            // the browser goes with the driver anyway
        } finally {
            driver.destroy();
        }
    }
}
