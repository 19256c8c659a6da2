package hub.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * Real hub processes against a throttled HTTP server on 127.0.0.1: killed with SIGKILL mid-download and restarted,
 * and two processes pulling the same artifact at once.
 */
public class HubProcessIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SIZE = 24 << 20;
    private HttpServer server;
    private final List<String> ranges = new CopyOnWriteArrayList<>();
    private final AtomicLong sent = new AtomicLong();
    private byte[] data;
    private String sha;
    private Path home;

    @Before
    public void setUp() throws Exception {
        data = new byte[SIZE];
        new Random(1).nextBytes(data);
        sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/model.onnx", x -> {
            String range = x.getRequestHeaders().getFirst("Range");
            ranges.add(String.valueOf(range));
            int start = range == null ? 0 : Integer.parseInt(range.substring(6, range.indexOf('-')));
            x.getResponseHeaders().add("ETag", "\"same\"");
            if (range != null) {
                x.getResponseHeaders().add("Content-Range", "bytes " + start + "-" + (SIZE - 1) + "/" + SIZE);
            }
            x.sendResponseHeaders(range == null ? 200 : 206, SIZE - start);
            try (OutputStream out = x.getResponseBody()) {
                for (int pos = start; pos < SIZE; pos += 1 << 16) {
                    int n = Math.min(1 << 16, SIZE - pos);
                    out.write(data, pos, n);
                    sent.addAndGet(n);
                    Thread.sleep(6); // about 10 MB/s: slow enough to kill mid-transfer
                }
            } catch (IOException | InterruptedException e) {
                // the client went away
            }
        });
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
        home = HubOptions.freshHome("process");
        Files.createDirectories(home.resolve("config"));
        Files.writeString(home.resolve("config/hub.store.cfg"), "allowHttp=true\nretryBackoffMillis=100\n");
        Path descriptor = home.resolve("slow.yaml");
        Files.writeString(descriptor, String.join("\n", "name: slow", "version: '1'", "family: detection", "artifacts:",
                "  - source: http://127.0.0.1:" + server.getAddress().getPort() + "/model.onnx",
                "    sha256: " + sha, "    size: " + SIZE, ""));
        assertEquals(0, HubCommandLineIT.start(home, home, "register", descriptor.toString()).await("register").exit());
    }

    @After
    public void tearDown() {
        server.stop(0);
    }

    @Test
    public void aHubKilledMidDownloadResumesAfterRestartAndVerifies() throws Exception {
        HubCommandLineIT.Started first = HubCommandLineIT.start(home, home, "pull", "slow");
        long deadline = System.currentTimeMillis() + 60_000;
        while (sent.get() < SIZE / 3 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertTrue("transfer started", sent.get() >= SIZE / 3);
        // SIGKILL the JVM (not the launcher script): no shutdown hook, no cleanup
        first.process().descendants().forEach(ProcessHandle::destroyForcibly);
        first.process().waitFor();
        Path part = home.resolve("cache/slow/1/model.onnx.part");
        assertTrue("partial file left behind", Files.isRegularFile(part) && Files.size(part) > 0);

        HubCommandLineIT.Run again = HubCommandLineIT.start(home, home, "pull", "slow").await("pull after kill");
        assertEquals(again.err(), 0, again.exit());
        String resume = ranges.get(ranges.size() - 1);
        assertTrue("second pull resumed: " + ranges, resume.startsWith("bytes=") && !resume.equals("bytes=0-"));
        assertEquals(0, HubCommandLineIT.start(home, home, "verify", "slow").await("verify").exit());
        JsonNode history = JSON.readTree(HubCommandLineIT.start(home, home, "history", "--json", "slow").await("history").out());
        JsonNode last = history.get(history.size() - 1);
        assertEquals("ok", last.get("outcome").asText());
        assertTrue(last.toString(), last.get("resumedFrom").asLong() > 0);
    }

    @Test
    public void twoHubProcessesPullingTheSameArtifactShareOneTransfer() throws Exception {
        HubCommandLineIT.Started a = HubCommandLineIT.start(home, home, "pull", "slow");
        HubCommandLineIT.Started b = HubCommandLineIT.start(home, home, "pull", "slow");
        HubCommandLineIT.Run ra = a.await("pull a");
        HubCommandLineIT.Run rb = b.await("pull b");
        assertEquals(ra.err(), 0, ra.exit());
        assertEquals(rb.err(), 0, rb.exit());
        assertEquals("one transfer: " + ranges, 1, ranges.size());
        assertEquals(SIZE, sent.get());
        JsonNode info = JSON.readTree(HubCommandLineIT.start(home, home, "info", "slow", "--json").await("info").out());
        assertEquals("READY", info.get("status").asText());
        JsonNode history = JSON.readTree(HubCommandLineIT.start(home, home, "history", "--json").await("history").out());
        assertEquals(history.toString(), List.of("ok", "reused"),
                List.of(history.get(0).get("outcome").asText(), history.get(1).get("outcome").asText()).stream().sorted().toList());
    }
}
