package hub.store.s3.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/**
 * A real S3 server for tests: S3Proxy on loopback with its filesystem backend (objects are files under a folder),
 * AWS signature v2/v4 checked against one key pair. {@link #relay} puts a TCP relay in front that can drop
 * connections mid-transfer.
 */
public final class S3Server implements AutoCloseable {
    /** The access key id every test server accepts. */
    public static final String ACCESS_KEY = "hub-test-access";
    /** Its secret. */
    public static final String SECRET_KEY = "hub-test-secret-4f1b2c";

    private final S3Proxy proxy;

    private S3Server(S3Proxy proxy) {
        this.proxy = proxy;
    }

    /**
     * @param dir where the objects are kept
     * @return the started server
     * @throws Exception when it cannot start
     */
    public static S3Server start(Path dir) throws Exception {
        java.nio.file.Files.createDirectories(dir);
        S3Proxy p = S3Proxy.builder().blobStore(new FilesystemNio2BlobStore(dir.toString()))
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
        p.start();
        for (int i = 0; i < 200 && !"STARTED".equals(p.getState()); i++) {
            Thread.sleep(25);
        }
        return new S3Server(p);
    }

    /** @return the endpoint URL, {@code http://127.0.0.1:PORT} */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
    }

    /**
     * @return an SDK client for this server (path-style, the test key pair), to set up buckets and objects
     */
    public software.amazon.awssdk.services.s3.S3Client client() {
        return software.amazon.awssdk.services.s3.S3Client.builder()
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
                .endpointOverride(endpoint()).forcePathStyle(true)
                .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .requestChecksumCalculation(
                        software.amazon.awssdk.core.checksums.RequestChecksumCalculation.WHEN_REQUIRED)
                .build();
    }

    /**
     * A TCP relay to a server that drops the connections it is told to, after some bytes of the answer.
     */
    public static final class Relay implements AutoCloseable {
        private final ServerSocket server;
        private final int upstream;
        private final AtomicInteger drops = new AtomicInteger();
        private final AtomicLong dropAfter = new AtomicLong();
        private final AtomicInteger connections = new AtomicInteger();
        private final AtomicLong answered = new AtomicLong();
        private volatile boolean slow;

        private Relay(int upstream) throws IOException {
            this.upstream = upstream;
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread t = new Thread(this::accept, "s3-relay");
            t.setDaemon(true);
            t.start();
        }

        /**
         * Drops the next connections' answers.
         *
         * @param count how many connections to drop
         * @param afterBytes after how many bytes of each answer
         */
        public void drop(int count, long afterBytes) {
            dropAfter.set(afterBytes);
            drops.set(count);
        }

        /**
         * @param on answers at about 8 MB/s (slow enough to kill a transfer midway), or at full speed
         */
        public void slow(boolean on) {
            slow = on;
        }

        /** @return bytes of answers relayed so far */
        public long answered() {
            return answered.get();
        }

        /** @return connections relayed so far */
        public int connections() {
            return connections.get();
        }

        /** @return the relay's endpoint URL */
        public URI endpoint() {
            return URI.create("http://127.0.0.1:" + server.getLocalPort());
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    connections.incrementAndGet();
                    Socket up = new Socket(InetAddress.getLoopbackAddress(), upstream);
                    long limit = drops.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? dropAfter.get() : Long.MAX_VALUE;
                    pipe(client.getInputStream(), up.getOutputStream(), Long.MAX_VALUE, client, up, null);
                    pipe(up.getInputStream(), client.getOutputStream(), limit, client, up, this);
                } catch (IOException e) {
                    // closed
                }
            }
        }

        private static void pipe(InputStream in, OutputStream out, long limit, Socket a, Socket b, Relay answers) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[8192];
                long sent = 0;
                try {
                    for (int n; (n = in.read(buf)) > 0;) {
                        int m = (int) Math.min(n, limit - sent);
                        out.write(buf, 0, m);
                        out.flush();
                        sent += m;
                        if (answers != null) {
                            answers.answered.addAndGet(m);
                            if (answers.slow) {
                                Thread.sleep(1);
                            }
                        }
                        if (sent >= limit) {
                            break; // the drop: both sides closed mid-answer
                        }
                    }
                } catch (IOException | InterruptedException e) {
                    // the other side went
                } finally {
                    try {
                        a.close();
                        b.close();
                    } catch (IOException e) {
                        // closing
                    }
                }
            }, "s3-relay-pipe");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    /**
     * @return a relay in front of this server
     * @throws IOException when it cannot listen
     */
    public Relay relay() throws IOException {
        return new Relay(proxy.getPort());
    }
}
