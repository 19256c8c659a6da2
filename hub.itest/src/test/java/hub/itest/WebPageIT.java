package hub.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.Test;

/**
 * The web page in real headless Chromium (Debian's chromium and chromium-driver, installed by .ci/run) against a hub
 * started with {@code bin/hub serve}: the catalog shows, the detector is switched from the page, the confirmation
 * appears, and the API sees the change. The screenshot is kept in target/screenshots.
 */
public class WebPageIT {
    @Test
    public void switchTheActiveDetectorFromThePage() throws Exception {
        assumeTrue("skipped: Chromium and chromedriver are not installed (.ci/run installs Debian's chromium and "
                + "chromium-driver)", Files.isExecutable(WebDriver.CHROMIUM) && Files.isExecutable(WebDriver.CHROMEDRIVER));
        Path models = Path.of(System.getProperty("hub.test.models", "../../shared/models"));
        Path yolo = models.resolve("detection/yolov8n-int8.onnx");
        assumeTrue("skipped: real model fixtures not found at " + models, Files.isRegularFile(yolo));
        Path home = HubOptions.freshHome("web");
        Files.writeString(home.resolve("models.yaml"), String.join("\n", "models:",
                "  - {name: shop-detector, version: '1', family: detection, tier: lite, artifacts: [{source: '" + yolo.toUri() + "'}]}",
                "  - {name: shop-detector, version: '2', family: detection, tier: lite, artifacts: [{source: '" + yolo.toUri() + "'}]}",
                ""));
        assertEquals(0, HubCommandLineIT.start(home, home, "register", "models.yaml").await("register").exit());
        HubCommandLineIT.Run created = HubCommandLineIT.start(home, home, "key", "create", "--tier", "standard", "--admin")
                .await("key create");
        assertEquals(created.err(), 0, created.exit());
        String key = created.out().lines().findFirst().orElseThrow();
        int port = HubOptions.freePort();
        HubCommandLineIT.Started serve = HubCommandLineIT.start(home, home, "serve", "--port", String.valueOf(port));
        String base = "http://127.0.0.1:" + port;
        HttpClient http = HttpClient.newHttpClient();
        try {
            long deadline = System.currentTimeMillis() + 60_000;
            while (!Files.readString(serve.out()).contains("HTTP API and web page on")) {
                assertTrue("hub serve did not come up: " + Files.readString(serve.err()), System.currentTimeMillis() < deadline);
                Thread.sleep(100);
            }
            try (WebDriver browser = new WebDriver()) {
                browser.open(base + "/");
                browser.type("#key", key);
                browser.click("#save-key");
                browser.await("the catalog", "return document.querySelectorAll('#catalog tbody tr').length >= 2");
                assertTrue(browser.text("#catalog").contains("shop-detector@2"));
                browser.await("live updates", "return document.querySelector('#live').textContent === 'live'");
                browser.click("select[data-alias='detector'] option[value='shop-detector@2']");
                browser.click("#apply");
                browser.await("the confirmation", "return document.querySelector('#message').className === 'ok'");
                assertTrue(browser.text("#message"), browser.text("#message").contains("detector → shop-detector@2"));
                browser.await("the active detector", "return document.querySelector(\"td.active[data-alias='detector']\")"
                        + ".textContent === 'shop-detector@2'");
                // a download from the page: its row follows the job's events to READY
                browser.click("#catalog tr[data-ref='shop-detector@1'] button");
                browser.await("the download to finish", "return document.querySelector(\"#catalog tr[data-ref='shop-detector@1']"
                        + " .status\").textContent === 'READY'");
                browser.await("the download message", "return document.querySelector('#message').textContent"
                        + ".includes('shop-detector@1 downloaded and verified')");
                browser.screenshot(Path.of("target/screenshots/web-page.png"));

                HttpResponse<String> active = http.send(HttpRequest.newBuilder(URI.create(base + "/models/active"))
                        .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals("shop-detector@2", new ObjectMapper().readTree(active.body()).get("detector").asText());

                // a failing switch shows the error and changes nothing
                browser.script("const s = document.querySelector(\"select[data-alias='classifier']\");"
                        + "s.appendChild(new Option('shop-detector@1', 'shop-detector@1')); s.value = 'shop-detector@1';");
                browser.click("#apply");
                browser.await("the error", "return document.querySelector('#message').className === 'error'");
                assertTrue(browser.text("#message"), browser.text("#message").contains("nothing changed"));
            }
        } finally {
            HubCommandLineIT.served(home, home, "stop").await("stop");
            serve.await("serve");
        }
        // every request carried the key, the hub logged at its serving level: the secret is nowhere in its output
        // vmh_ID_SECRET, where the secret is base64url and may itself hold '_'
        String secret = key.split("_", 3)[2];
        assertTrue(secret, secret.length() >= 40);
        String log = Files.readString(serve.out()) + Files.readString(serve.err())
                + Files.readString(home.resolve("logs/hub.log"));
        assertTrue("the hub logged something (the check below is not vacuous)", log.contains("HTTP API"));
        assertTrue("an API key secret appeared in the hub's output", !log.contains(secret));
        assertTrue("api-keys.json keeps no secret", !Files.readString(home.resolve("state/api-keys.json")).contains(secret));
    }

    /**
     * A standard key without the admin role: the admin-only controls are not shown; the playground runs a detection
     * on an uploaded photo and draws it; buttons are disabled while their action runs; an error message goes when the
     * next action succeeds; the API explorer (Swagger UI) shows the hub's document with the protocol routes; the
     * badge says "offline" only once the hub is gone. Screenshots in target/screenshots.
     */
    @Test
    public void aKeyWithoutAdminTriesAModelAndSeesOnlyWhatItMayDo() throws Exception {
        assumeTrue("skipped: Chromium and chromedriver are not installed (.ci/run installs Debian's chromium and "
                + "chromium-driver)", Files.isExecutable(WebDriver.CHROMIUM) && Files.isExecutable(WebDriver.CHROMEDRIVER));
        Path models = Path.of(System.getProperty("hub.test.models", "../../shared/models"));
        Path yolo = models.resolve("detection/yolov8n-int8.onnx");
        Path dog = models.getParent().resolve("images/dog.jpg").toAbsolutePath().normalize();
        assumeTrue("skipped: real model fixtures not found at " + models, Files.isRegularFile(yolo)
                && Files.isRegularFile(dog));
        Path home = HubOptions.freshHome("playground");
        Files.writeString(home.resolve("models.yaml"), String.join("\n", "models:",
                "  - {name: shop-detector, version: '1', family: detection, tier: lite, artifacts: [{source: '"
                        + yolo.toUri() + "'}]}", ""));
        assertEquals(0, HubCommandLineIT.start(home, home, "register", "models.yaml").await("register").exit());
        assertEquals(0, HubCommandLineIT.start(home, home, "pull", "shop-detector@1").await("pull").exit());
        HubCommandLineIT.Run created = HubCommandLineIT.start(home, home, "key", "create", "--tier", "standard")
                .await("key create");
        assertEquals(created.err(), 0, created.exit());
        String key = created.out().lines().findFirst().orElseThrow();
        int port = HubOptions.freePort();
        HubCommandLineIT.Started serve = HubCommandLineIT.start(home, home, "serve", "--port", String.valueOf(port));
        String base = "http://127.0.0.1:" + port;
        boolean stopped = false;
        try {
            long deadline = System.currentTimeMillis() + 60_000;
            while (!Files.readString(serve.out()).contains("HTTP API and web page on")) {
                assertTrue("hub serve did not come up: " + Files.readString(serve.err()), System.currentTimeMillis() < deadline);
                Thread.sleep(100);
            }
            try (WebDriver browser = new WebDriver()) {
                browser.open(base + "/");
                assertTrue("no badge before a key", browser.script("return document.querySelector('#live').hidden")
                        .asBoolean());
                browser.type("#key", key);
                browser.click("#save-key");
                browser.await("the catalog", "return document.querySelectorAll('#catalog tbody tr').length >= 1");
                browser.await("live updates", "return document.querySelector('#live').textContent === 'live'");
                for (String css : List.of("#apply", "#catalog tbody button.admin-only", "#aliases td.admin-only")) {
                    assertEquals(css + " is hidden from a key without the admin role", "none",
                            browser.script("return getComputedStyle(document.querySelector(\"" + css + "\")).display")
                                    .asText());
                }
                assertTrue("the plug-ins section is hidden", browser.script(
                        "return document.querySelector('#plugins-section').hidden").asBoolean());

                // an error first (no image), then a detection that succeeds replaces it
                browser.click("#try-run");
                browser.await("the error", "return document.querySelector('#message').className === 'error'");
                browser.click("#try-model option[value='shop-detector@1']");
                browser.type("#try-file", dog.toString());
                assertTrue("Run is disabled while it runs", browser.script("const b = document.querySelector('#try-run');"
                        + " b.click(); return b.disabled;").asBoolean());
                browser.await("the detection", "return document.querySelector('#try-summary').textContent"
                        + ".includes('object')");
                String summary = browser.text("#try-summary");
                assertTrue(summary, summary.startsWith("shop-detector@1 on cpu") && summary.contains("dog"));
                assertTrue(browser.text("#try-json"), browser.text("#try-json").contains("\"label\": \"dog\""));
                browser.await("the button back", "return !document.querySelector('#try-run').disabled");
                assertEquals("ok", browser.script("return document.querySelector('#message').className").asText());
                assertTrue("the photo is drawn", browser.script("return document.querySelector('#try-canvas').width")
                        .asInt() > 0);
                browser.screenshot(Path.of("target/screenshots/playground.png"));

                // the API explorer: Swagger UI on the hub's document, with the protocol's routes
                browser.open(base + "/api/docs");
                browser.await("Swagger UI", "return document.querySelectorAll('.opblock').length > 30");
                String docs = browser.script("return document.body.innerText").asText();
                assertTrue(docs, docs.contains("/v2/models/{model}/infer") && docs.contains("/metrics")
                        && docs.contains("/api/v1/detect"));
                browser.screenshot(Path.of("target/screenshots/api-docs.png"));

                // the badge says offline only when the hub is gone
                browser.open(base + "/");
                browser.await("live updates", "return document.querySelector('#live').textContent === 'live'");
                HubCommandLineIT.served(home, home, "stop").await("stop");
                serve.await("serve");
                stopped = true;
                browser.await("the offline badge", "return document.querySelector('#live').textContent === 'offline'");
            }
        } finally {
            if (!stopped) {
                HubCommandLineIT.served(home, home, "stop").await("stop");
                serve.await("serve");
            }
        }
    }
}
