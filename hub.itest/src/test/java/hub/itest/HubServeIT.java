package hub.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.Test;

/** {@code hub serve}: later commands act on its live runtime through the owner-only control socket. */
public class HubServeIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    public void commandsReachTheServingHubAndStopEndsIt() throws Exception {
        Path home = HubOptions.freshHome("serve");
        Path model = home.resolve("tiny.onnx");
        Path models = Path.of(System.getProperty("hub.test.models", "../../shared/models"));
        Path yunet = models.resolve("face/yunet-2023mar.onnx");
        org.junit.Assume.assumeTrue("skipped: real model fixtures not found at " + models, Files.isRegularFile(yunet));
        Files.copy(yunet, model);
        Files.writeString(home.resolve("face.yaml"), String.join("\n", "name: face-local", "version: '1'",
                "family: face", "parameters: {inputSize: 640}", "artifacts:", "  - source: " + model.toUri(), ""));
        assertEquals(0, HubCommandLineIT.start(home, home, "register", "face.yaml").await("register").exit());

        int port = HubOptions.freePort();
        HubCommandLineIT.Started serve = HubCommandLineIT.start(home, home, "serve", "--port", String.valueOf(port));
        Path socket = home.resolve("run/hub.sock");
        long deadline = System.currentTimeMillis() + 30_000;
        while (!Files.exists(socket) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertTrue("control socket created", Files.exists(socket));
        // the socket appears once the hub's components are up: the very first health call is already 200
        java.net.http.HttpResponse<String> health = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/api/v1/health"))
                        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(health.body(), 200, health.statusCode());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent())));

        HubCommandLineIT.Run load = HubCommandLineIT.served(home, home, "load", "face-local").await("load");
        assertEquals(load.err(), 0, load.exit());
        assertTrue(load.out(), load.out().startsWith("loaded face-local@1 on cpu"));
        HubCommandLineIT.Run sw = HubCommandLineIT.served(home, home, "switch", "face=face-local@1").await("switch");
        assertEquals(sw.err(), 0, sw.exit());
        JsonNode status = JSON.readTree(HubCommandLineIT.served(home, home, "status", "--json").await("status").out());
        assertEquals("the serving hub holds the model", 1, status.size());
        assertEquals("face-local@1", status.get(0).get("ref").asText());
        assertTrue(status.get(0).get("pinned").asBoolean());
        assertTrue(status.get(0).get("warmUpTime").asLong() >= 0);
        HubCommandLineIT.Run second = HubCommandLineIT.served(home, home, "serve").await("second serve");
        assertEquals(1, second.exit());
        assertTrue(second.err(), second.err().contains("already serving"));
        HubCommandLineIT.Run bad = HubCommandLineIT.served(home, home, "info", "nosuch").await("info");
        assertEquals(3, bad.exit());
        assertEquals("hub: unknown model 'nosuch': hub list shows the catalog\n", bad.err());

        // an upload the client abandons half-way costs the serving hub no stack trace in its output
        HubCommandLineIT.Run key = HubCommandLineIT.served(home, home, "key", "create", "--tier", "lite").await("key");
        assertEquals(key.err(), 0, key.exit());
        String secret = key.out().lines().findFirst().orElseThrow().trim();
        for (int i = 0; i < 3; i++) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                s.getOutputStream().write(("POST /api/v1/detect?model=face-local HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Authorization: Bearer " + secret + "\r\nContent-Type: image/jpeg\r\n"
                        + "Content-Length: 100000\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                s.getOutputStream().write(new byte[5000]);
                s.getOutputStream().flush();
                Thread.sleep(200);
                s.setSoLinger(true, 0); // a reset, as a client that dies does
            }
        }
        Thread.sleep(500);

        HubCommandLineIT.Run stop = HubCommandLineIT.served(home, home, "stop").await("stop");
        assertEquals(stop.err(), 0, stop.exit());
        assertTrue("serve ends", serve.process().waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, serve.process().exitValue());
        String served = Files.readString(serve.err()) + Files.readString(serve.out())
                + Files.readString(home.resolve("logs/hub.log"));
        assertFalse("no stack trace from the aborted uploads:\n" + served, served.contains("\tat "));
        assertFalse(Files.exists(socket));
        assertEquals("face-local@1", JSON.readTree(HubCommandLineIT.start(home, home, "active", "--json")
                .await("active").out()).get("face").asText());
        HubCommandLineIT.Run none = HubCommandLineIT.start(home, home, "stop").await("stop again");
        assertEquals(0, none.exit());
        assertTrue(none.out(), none.out().startsWith("no hub is running for"));
    }

    @Test
    public void serveOnABusyPortFailsWithOneLine() throws Exception {
        Path home = HubOptions.freshHome("busy");
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            HubCommandLineIT.Run r = HubCommandLineIT.start(home, home, "serve", "--port",
                    String.valueOf(taken.getLocalPort())).await("serve on a busy port");
            assertEquals(r.err(), 1, r.exit());
            assertEquals(r.err(), 1, r.err().lines().count());
            assertTrue(r.err(), r.err().startsWith("hub: cannot serve HTTP on 127.0.0.1:" + taken.getLocalPort()));
            assertFalse("no control socket left", Files.exists(home.resolve("run/hub.sock")));
        }
    }
}
