package hub.core.internal.store;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A real HTTP server on 127.0.0.1 serving one file with ranges and an ETag, whose n-th request can be made to fail
 * in a chosen way: dropped after some bytes, an error status, slow, wrong bytes, a longer body, a changed ETag,
 * redirects.
 */
final class FaultyServer implements AutoCloseable {
    /** What to do with one request. */
    enum Fault { NONE, DROP, STATUS_500, STATUS_404, SLOW, WRONG_BYTES, LONGER, NEW_ETAG, IGNORE_RANGE, RANGE_416 }

    /** A request as the server saw it. */
    record Seen(String path, String range, String ifRange) {
    }

    private final HttpServer server;
    final List<Seen> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger count = new AtomicInteger();
    volatile byte[] data;
    volatile String etag = "\"v1\"";
    volatile IntFunction<Fault> faults = n -> Fault.NONE;
    volatile long dropAfter = 1000;
    volatile long slowMillisPerChunk = 2000;

    FaultyServer(byte[] data) throws IOException {
        this.data = data;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/file", this::serveFile);
        server.createContext("/loop", x -> redirect(x, "/loop2"));
        server.createContext("/loop2", x -> redirect(x, "/loop"));
        server.createContext("/moved", x -> redirect(x, "/file"));
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "faulty-server");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    int fileRequests() {
        return (int) requests.stream().filter(r -> r.path().equals("/file")).count();
    }

    private static void redirect(HttpExchange x, String to) throws IOException {
        x.getResponseHeaders().add("Location", to);
        x.sendResponseHeaders(302, -1);
        x.close();
    }

    private void serveFile(HttpExchange x) throws IOException {
        int n = count.incrementAndGet();
        String range = x.getRequestHeaders().getFirst("Range");
        String ifRange = x.getRequestHeaders().getFirst("If-Range");
        requests.add(new Seen("/file", range, ifRange));
        Fault f = faults.apply(n);
        byte[] body = data;
        String tag = f == Fault.NEW_ETAG ? "\"v2\"" : etag;
        if (f == Fault.NEW_ETAG) {
            etag = tag;
        }
        try (x) {
            if (f == Fault.STATUS_500 || f == Fault.STATUS_404) {
                x.sendResponseHeaders(f == Fault.STATUS_500 ? 500 : 404, -1);
                return;
            }
            x.getResponseHeaders().add("ETag", tag);
            x.getResponseHeaders().add("Accept-Ranges", "bytes");
            long start = 0;
            boolean partial = false;
            if (range != null && f != Fault.IGNORE_RANGE && (ifRange == null || ifRange.equals(tag))) {
                start = Long.parseLong(range.substring(6, range.indexOf('-')));
                if (start >= body.length || f == Fault.RANGE_416) {
                    x.getResponseHeaders().add("Content-Range", "bytes */" + body.length);
                    x.sendResponseHeaders(416, -1);
                    return;
                }
                partial = true;
                x.getResponseHeaders().add("Content-Range", "bytes " + start + "-" + (body.length - 1) + "/" + body.length);
            }
            long length = body.length - start;
            if (f == Fault.LONGER) {
                x.sendResponseHeaders(200, 0); // chunked: the server sends more than the catalog declares
                try (OutputStream out = x.getResponseBody()) {
                    out.write(body);
                    out.write(new byte[4096]);
                }
                return;
            }
            x.sendResponseHeaders(partial ? 206 : 200, length);
            OutputStream out = x.getResponseBody();
            if (f == Fault.DROP) {
                long upTo = Math.min(length, dropAfter);
                out.write(body, (int) start, (int) upTo);
                out.flush();
                // leave the body unfinished: the server resets the connection under the client
                throw new IOException("dropped on purpose");
            }
            if (f == Fault.SLOW) {
                out.write(body, (int) start, 1);
                out.flush();
                sleep(slowMillisPerChunk);
                return;
            }
            if (f == Fault.WRONG_BYTES) {
                byte[] wrong = body.clone();
                wrong[wrong.length / 2] ^= 0x55;
                out.write(wrong, (int) start, (int) length);
            } else {
                out.write(body, (int) start, (int) length);
            }
            out.close();
        } catch (IOException e) {
            // a dropped exchange: HttpServer resets the connection
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
