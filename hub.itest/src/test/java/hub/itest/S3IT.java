package hub.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import hub.state.postgres.internal.PostgresServer;
import hub.store.s3.internal.S3Server;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.AfterClass;
import org.junit.Assume;
import org.junit.BeforeClass;
import org.junit.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code s3://} sources and fleet mirrors through {@code bin/hub} against a real S3 server (S3Proxy, filesystem
 * backend) on loopback, reached directly or through a relay that drops or slows its answers; the mirror case shares
 * its catalog through a real PostgreSQL.
 */
public class S3IT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SIZE = 24 << 20;
    private static S3Server s3;
    private static S3Server.Relay relay;
    private static S3Client client;
    private static byte[] data;
    private static String sha;

    @BeforeClass
    public static void startS3() throws Exception {
        s3 = S3Server.start(HubOptions.freshHome("s3-objects"));
        relay = s3.relay();
        client = s3.client();
        client.createBucket(b -> b.bucket("models"));
        data = new byte[SIZE];
        new Random(7).nextBytes(data);
        sha = sha256(data);
        client.putObject(b -> b.bucket("models").key("detector/model.onnx"), RequestBody.fromBytes(data));
    }

    @AfterClass
    public static void stopS3() throws Exception {
        if (relay != null) {
            relay.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    /** A home whose S3 settings point at an endpoint, with the secret from the environment (as AWS tools take it). */
    private static Path home(String name, java.net.URI endpoint) throws Exception {
        Path home = HubOptions.freshHome(name);
        Files.createDirectories(home.resolve("config"));
        Files.writeString(home.resolve("config/hub.store.cfg"), "allowHttp=true\nretryBackoffMillis=100\n"
                + "s3Endpoint=" + endpoint + "\ns3PathStyle=true\ns3Region=us-east-1\n");
        return home;
    }

    private static Map<String, String> env(String secret) {
        return Map.of("HUB_DAEMON", "false", "AWS_ACCESS_KEY_ID", S3Server.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", secret);
    }

    private static HubCommandLineIT.Run hub(Path home, String... args) throws Exception {
        return HubCommandLineIT.start(env(S3Server.SECRET_KEY), home, home, args).await(String.join(" ", args));
    }

    private static void register(Path home, String name, String source, String sha256, long size) throws Exception {
        Path d = home.resolve(name + ".yaml");
        Files.writeString(d, String.join("\n", "name: " + name, "version: '1'", "family: detection", "artifacts:",
                "  - source: " + source, "    sha256: " + sha256, "    size: " + size, "    file: model.onnx", ""));
        HubCommandLineIT.Run r = hub(home, "register", d.toString());
        assertEquals(r.err(), 0, r.exit());
    }

    private static JsonNode history(Path home, String model) throws Exception {
        return JSON.readTree(hub(home, "history", "--json", model).out());
    }

    @Test
    public void aPullFromS3ResumesAfterDropsAndVerifies() throws Exception {
        Path home = home("s3-drops", relay.endpoint());
        register(home, "s3model", "s3://models/detector/model.onnx", sha, SIZE);
        relay.drop(2, 5 << 20); // the next two answers stop after 5 MB
        HubCommandLineIT.Run pull = hub(home, "pull", "s3model");
        assertEquals(pull.err(), 0, pull.exit());
        assertTrue(pull.err(), pull.err().contains("retry"));
        assertEquals(0, hub(home, "verify", "s3model").exit());
        JsonNode h = history(home, "s3model");
        List<String> outcomes = new ArrayList<>();
        h.forEach(x -> outcomes.add(x.get("outcome").asText()));
        assertEquals(h.toString(), List.of("attempt-failed", "attempt-failed", "ok"), outcomes);
        // each attempt after a drop resumed where the one before stopped
        assertTrue(h.toString(), h.get(1).get("resumedFrom").asLong() > 4 << 20);
        assertTrue(h.toString(), h.get(2).get("resumedFrom").asLong() > h.get(1).get("resumedFrom").asLong());
        assertEquals("s3://models/detector/model.onnx", h.get(2).get("source").asText());
        System.out.println("S3 pull with 2 drops: " + outcomes + ", resumed from " + h.get(1).get("resumedFrom")
                + " and " + h.get(2).get("resumedFrom"));
    }

    @Test
    public void aHubKilledMidPullFromS3ResumesAfterRestart() throws Exception {
        Path home = home("s3-kill", relay.endpoint());
        register(home, "s3slow", "s3://models/detector/model.onnx", sha, SIZE);
        relay.slow(true);
        try {
            long before = relay.answered();
            HubCommandLineIT.Started first = HubCommandLineIT.start(env(S3Server.SECRET_KEY), home, home, "pull",
                    "s3slow");
            long deadline = System.currentTimeMillis() + 60_000;
            while (relay.answered() - before < SIZE / 3 && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertTrue("transfer started", relay.answered() - before >= SIZE / 3);
            first.process().descendants().forEach(ProcessHandle::destroyForcibly); // SIGKILL the JVM
            first.process().waitFor();
            Path part = home.resolve("cache/s3slow/1/model.onnx.part");
            assertTrue("partial file left behind", Files.isRegularFile(part) && Files.size(part) > 0);
        } finally {
            relay.slow(false);
        }
        HubCommandLineIT.Run again = hub(home, "pull", "s3slow");
        assertEquals(again.err(), 0, again.exit());
        assertEquals(0, hub(home, "verify", "s3slow").exit());
        JsonNode h = history(home, "s3slow");
        JsonNode last = h.get(h.size() - 1);
        assertEquals("ok", last.get("outcome").asText());
        assertTrue(last.toString(), last.get("resumedFrom").asLong() > 0);
        System.out.println("S3 pull killed with SIGKILL: resumed from " + last.get("resumedFrom") + " of " + SIZE);
    }

    @Test
    public void wrongBytesInTheBucketAreRejectedNamingBothChecksums() throws Exception {
        byte[] other = data.clone();
        other[12345] ^= 1;
        client.putObject(b -> b.bucket("models").key("tampered/model.onnx"), RequestBody.fromBytes(other));
        Path home = home("s3-wrong", s3.endpoint());
        register(home, "tampered", "s3://models/tampered/model.onnx", sha, SIZE);
        HubCommandLineIT.Run pull = hub(home, "pull", "tampered");
        assertEquals(pull.err(), 9, pull.exit());
        assertTrue(pull.err(), pull.err().contains(sha));
        assertTrue(pull.err(), pull.err().contains(sha256(other)));
        assertFalse("nothing published", Files.exists(home.resolve("cache/tampered/1/model.onnx")));
    }

    @Test
    public void badCredentialsAreOneClearLineWithoutTheSecret() throws Exception {
        Path home = home("s3-creds", s3.endpoint());
        register(home, "s3creds", "s3://models/detector/model.onnx", sha, SIZE);
        String secret = "not-the-secret-ZXCV-9876";
        HubCommandLineIT.Run pull = HubCommandLineIT.start(env(secret), home, home, "pull", "s3creds").await("pull");
        assertEquals(pull.err(), 5, pull.exit());
        String err = pull.err().strip();
        assertFalse(err, err.contains(secret));
        assertEquals(err, 1, err.lines().count());
        assertTrue(err, err.contains("HTTP 403") && err.contains("check the credentials"));
        assertFalse(Files.readString(home.resolve("logs/hub.log")).contains(secret));
        System.out.println("bad credentials: " + err);
    }

    @Test
    public void threeHubsPullAMirroredModelFromTheMirrorNotTheOrigin() throws Exception {
        Assume.assumeTrue("skipped: PostgreSQL is not installed (.ci/run installs Debian's postgresql)",
                PostgresServer.binaries().isPresent());
        AtomicInteger downloads = new AtomicInteger();
        HttpServer origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        origin.createContext("/model.onnx", x -> {
            downloads.incrementAndGet();
            x.sendResponseHeaders(200, SIZE);
            try (OutputStream out = x.getResponseBody()) {
                out.write(data);
            }
        });
        origin.start();
        client.createBucket(b -> b.bucket("mirror"));
        try (PostgresServer db = PostgresServer.start()) {
            List<Path> homes = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Path home = home("mirror-" + i, s3.endpoint());
                Files.writeString(home.resolve("config/hub.state.cfg"), "store=postgresql\nurl=" + db.url()
                        + "\nuser=hub\n");
                homes.add(home);
            }
            String source = "http://127.0.0.1:" + origin.getAddress().getPort() + "/model.onnx";
            register(homes.get(0), "fleetmodel", source, sha, SIZE);
            HubCommandLineIT.Run push = hub(homes.get(0), "mirror", "push", "fleetmodel", "s3://mirror/fleet");
            assertEquals(push.err(), 0, push.exit());
            assertTrue(push.out(), push.out().contains("s3://mirror/fleet/fleetmodel/1/"));
            assertEquals("the pushing hub pulled from the origin", 1, downloads.get());
            HubCommandLineIT.Run again = hub(homes.get(0), "mirror", "push", "fleetmodel@1", "s3://mirror/fleet");
            assertEquals(again.err(), 0, again.exit());
            HubCommandLineIT.Run list = hub(homes.get(2), "mirror");
            assertTrue(list.out(), list.out().contains("fleetmodel@1") && list.out().contains("s3://mirror/fleet/"));

            for (int i = 1; i < 4; i++) {
                HubCommandLineIT.Run pull = hub(homes.get(i), "pull", "fleetmodel");
                assertEquals(pull.err(), 0, pull.exit());
                JsonNode h = history(homes.get(i), "fleetmodel");
                JsonNode last = h.get(h.size() - 1);
                assertEquals(h.toString(), "s3://mirror/fleet/fleetmodel/1/model.onnx", last.get("source").asText());
            }
            assertEquals("the origin saw one download in all", 1, downloads.get());

            // a mirror that lost the file: the next hub falls back to the origin, verified all the same
            client.deleteObject(b -> b.bucket("mirror").key("fleet/fleetmodel/1/model.onnx"));
            Path fifth = home("mirror-4", s3.endpoint());
            Files.writeString(fifth.resolve("config/hub.state.cfg"), "store=postgresql\nurl=" + db.url()
                    + "\nuser=hub\n");
            HubCommandLineIT.Run fallback = hub(fifth, "pull", "fleetmodel");
            assertEquals(fallback.err(), 0, fallback.exit());
            assertEquals(2, downloads.get());
            assertEquals(0, hub(fifth, "verify", "fleetmodel").exit());
            System.out.println("mirror: 3 hubs pulled from s3://mirror/fleet, the origin served 1 download; after the"
                    + " mirror lost the file a 4th hub fell back to the origin (2)");
        } finally {
            origin.stop(0);
        }
    }
}
