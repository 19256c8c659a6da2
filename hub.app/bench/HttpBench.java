import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/** POST /api/v1/detect on loopback by 1, 4 and 16 concurrent clients: requests/s, p50, p99 (run by bench-http). */
public final class HttpBench {
    public static void main(String[] args) throws Exception {
        String url = args[0];
        String key = args[1];
        byte[] image = Files.readAllBytes(Path.of(args[2]));
        int requests = Integer.parseInt(args[3]);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        System.out.println("HTTP POST " + url + ", " + requests + " requests per level");
        for (int clients : new int[] {1, 4, 16}) {
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            AtomicInteger next = new AtomicInteger();
            long[] latencies = new long[Math.max(clients, requests)];
            int total = latencies.length;
            List<Future<?>> warm = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                warm.add(pool.submit(() -> send(http, url, key, image)));
            }
            for (Future<?> f : warm) {
                f.get();
            }
            long start = System.nanoTime();
            List<Future<?>> workers = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                workers.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                        long t = System.nanoTime();
                        send(http, url, key, image);
                        latencies[i] = System.nanoTime() - t;
                    }
                    return null;
                }));
            }
            for (Future<?> f : workers) {
                f.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            pool.shutdown();
            Arrays.sort(latencies);
            System.out.println(String.format(Locale.ROOT, "clients %2d: %7.1f requests/s  p50 %7.2f ms  p99 %7.2f ms",
                    clients, total / seconds, latencies[(int) Math.ceil(total * 0.5) - 1] / 1e6,
                    latencies[(int) Math.ceil(total * 0.99) - 1] / 1e6));
        }
    }

    private static Void send(HttpClient http, String url, String key, byte[] image) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + key).header("Content-Type", "image/jpeg")
                .POST(HttpRequest.BodyPublishers.ofByteArray(image)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + r.statusCode() + ": " + r.body());
        }
        return null;
    }
}
