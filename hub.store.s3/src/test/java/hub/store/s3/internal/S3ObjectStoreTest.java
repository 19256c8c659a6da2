package hub.store.s3.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import hub.api.ArtifactException;
import hub.api.objectstore.ObjectInfo;
import hub.api.objectstore.ObjectRead;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import software.amazon.awssdk.services.s3.S3Client;

/** The S3 store against a real S3 server (S3Proxy, filesystem backend) on loopback. */
public class S3ObjectStoreTest {
    @ClassRule
    public static final TemporaryFolder TMP = new TemporaryFolder();
    private static S3Server server;

    @BeforeClass
    public static void startServer() throws Exception {
        server = S3Server.start(TMP.newFolder("s3").toPath());
        store(server.endpoint(), S3Server.ACCESS_KEY, S3Server.SECRET_KEY, 5).client()
                .createBucket(b -> b.bucket("models"));
    }

    @AfterClass
    public static void stopServer() throws Exception {
        server.close();
    }

    /** A store for an endpoint with credentials from the environment, as a hub started with AWS_* variables has. */
    static S3ObjectStore store(URI endpoint, String key, String secret, int partMb) {
        Map<String, String> env = Map.of("AWS_ACCESS_KEY_ID", key, "AWS_SECRET_ACCESS_KEY", secret,
                "AWS_REGION", "us-east-1", "AWS_ENDPOINT_URL", endpoint.toString());
        return S3ObjectStore.withEnv(config(true, partMb), env::get);
    }

    static S3Config config(boolean pathStyle, int partMb) {
        return new S3Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return S3Config.class;
            }

            @Override
            public String s3Endpoint() {
                return "";
            }

            @Override
            public String s3Region() {
                return "";
            }

            @Override
            public boolean s3PathStyle() {
                return pathStyle;
            }

            @Override
            public String s3AccessKeyId() {
                return "";
            }

            @Override
            public String s3SecretKeyFile() {
                return "";
            }

            @Override
            public String s3Profile() {
                return "";
            }

            @Override
            public int timeoutSeconds() {
                return 10;
            }

            @Override
            public int s3PartSizeMb() {
                return partMb;
            }
        };
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    public void writesInPartsAndReadsFromAnOffset() throws Exception {
        S3ObjectStore s3 = store(server.endpoint(), S3Server.ACCESS_KEY, S3Server.SECRET_KEY, 5);
        byte[] data = random(12 * 1024 * 1024 + 77, 1);
        Path f = TMP.newFile().toPath();
        Files.write(f, data);
        URI uri = URI.create("s3://models/a/b/model.onnx");
        AtomicLong last = new AtomicLong();
        ObjectInfo info = s3.write(uri, f, Map.of("sha256", "abc"), (stored, total, reused) -> last.set(stored));
        assertEquals(data.length, info.size());
        assertEquals(data.length, last.get());
        assertEquals("abc", s3.stat(uri).orElseThrow().metadata().get("sha256"));
        try (ObjectRead r = s3.read(uri, 0, null)) {
            assertEquals(0, r.offset());
            assertEquals(data.length, r.size());
            assertArrayEquals(data, r.body().readAllBytes());
        }
        try (ObjectRead r = s3.read(uri, 1000, info.etag())) {
            assertEquals(1000, r.offset());
            assertEquals(data.length, r.size());
            assertArrayEquals(java.util.Arrays.copyOfRange(data, 1000, data.length), r.body().readAllBytes());
        }
        // the object changed since the earlier bytes: all of it again, from 0
        try (ObjectRead r = s3.read(uri, 1000, "\"0123456789abcdef0123456789abcdef\"")) {
            assertEquals(0, r.offset());
            assertEquals(data.length, r.body().readAllBytes().length);
        }
        List<ObjectInfo> listed = s3.list(URI.create("s3://models/a/"));
        assertEquals(List.of(uri), listed.stream().map(ObjectInfo::uri).toList());
        assertFalse(s3.stat(URI.create("s3://models/a/none")).isPresent());
    }

    @Test
    public void anInterruptedMultipartUploadResumesWithTheStoredParts() throws Exception {
        S3ObjectStore s3 = store(server.endpoint(), S3Server.ACCESS_KEY, S3Server.SECRET_KEY, 5);
        byte[] data = random(11 * 1024 * 1024, 2);
        Path f = TMP.newFile().toPath();
        Files.write(f, data);
        // an earlier push stored the first part, then died
        S3Client c = s3.client();
        String id = c.createMultipartUpload(b -> b.bucket("models").key("r/model.onnx")).uploadId();
        c.uploadPart(b -> b.bucket("models").key("r/model.onnx").uploadId(id).partNumber(1),
                software.amazon.awssdk.core.sync.RequestBody.fromBytes(java.util.Arrays.copyOf(data, 5 << 20)));
        AtomicLong reused = new AtomicLong();
        ObjectInfo info = s3.write(URI.create("s3://models/r/model.onnx"), f, Map.of(),
                (stored, total, r) -> reused.set(r));
        assertEquals(5L << 20, reused.get());
        assertEquals(data.length, info.size());
        try (ObjectRead r = s3.read(URI.create("s3://models/r/model.onnx"), 0, null)) {
            assertArrayEquals(data, r.body().readAllBytes());
        }
    }

    @Test
    public void badCredentialsAreOneLineWithoutTheSecret() throws Exception {
        String secret = "wrong-secret-do-not-print-123";
        S3ObjectStore s3 = store(server.endpoint(), "nobody", secret, 5);
        try {
            s3.read(URI.create("s3://models/a/b/model.onnx"), 0, null);
            fail("read with a wrong key");
        } catch (ArtifactException e) {
            assertFalse(e.getMessage(), e.getMessage().contains(secret));
            assertFalse(e.getMessage(), e.getMessage().contains("\n"));
            assertTrue(e.getMessage(), e.getMessage().contains("HTTP 403"));
            assertTrue(e.getMessage(), e.getMessage().contains("check the credentials"));
        }
        S3ObjectStore wrongSecret = store(server.endpoint(), S3Server.ACCESS_KEY, secret, 5);
        try {
            wrongSecret.stat(URI.create("s3://models/a/b/model.onnx"));
            fail("stat with a wrong secret");
        } catch (ArtifactException e) {
            assertFalse(e.getMessage(), e.getMessage().contains(secret));
            assertTrue(e.getMessage(), e.getMessage().contains("HTTP 403"));
        }
    }

    @Test
    public void missingObjectsAreFinalAndUnreachableServersTransient() throws Exception {
        S3ObjectStore s3 = store(server.endpoint(), S3Server.ACCESS_KEY, S3Server.SECRET_KEY, 5);
        try {
            s3.read(URI.create("s3://models/no/such.onnx"), 0, null);
            fail("read of a missing object");
        } catch (ArtifactException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("HTTP 404"));
        }
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        S3ObjectStore nowhere = store(URI.create("http://127.0.0.1:" + port), "a", "b", 5);
        try {
            nowhere.read(URI.create("s3://models/x"), 0, null);
            fail("read from nowhere");
        } catch (IOException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("127.0.0.1:" + port));
        }
    }
}
