import hub.shell.internal.commands.Throughput;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * POST /api/v1/detect on loopback by 1, 4 and 16 concurrent clients (or the levels given): requests/s, p50, p99,
 * measured by the same Throughput harness as hub bench (run by bench-http and bench-oip with hub.shell on the class
 * path).
 */
public final class HttpBench {
    public static void main(String[] args) throws Exception {
        String url = args[0];
        String key = args[1];
        byte[] image = Files.readAllBytes(Path.of(args[2]));
        int requests = Integer.parseInt(args[3]);
        int[] levels = args.length > 4 ? java.util.Arrays.stream(args[4].split(",")).mapToInt(Integer::parseInt).toArray()
                : new int[] {1, 4, 16};
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + key).header("Content-Type", "image/jpeg")
                .POST(HttpRequest.BodyPublishers.ofByteArray(image)).build();
        System.out.println("HTTP POST " + url + ", " + requests + " requests per level");
        for (int clients : levels) {
            Throughput.Result r = Throughput.measure(() -> {
                HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() != 200) {
                    throw new IllegalStateException("HTTP " + answer.statusCode() + ": " + answer.body());
                }
                return null;
            }, clients, Math.max(clients, requests));
            System.out.println(r.line());
        }
    }
}
