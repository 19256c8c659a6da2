import hub.shell.internal.commands.Throughput;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * An Open Inference Protocol client for bench-oip, in a JVM of its own: POST /v2/.../infer with the binary tensor
 * data extension, either one FP32 input of zeros of a given shape (the raw graph) or an encoded image as a BYTES
 * element (the model's own pipeline); binary outputs; requests/s, p50, p99 per concurrency level, by the same
 * Throughput harness as hub bench.
 * <p>
 * Usage: {@code OipBench URL KEY tensor INPUT_NAME D1,D2,... REQUESTS LEVELS} or
 * {@code OipBench URL KEY image IMAGE_FILE - REQUESTS LEVELS}.
 */
public final class OipBench {
    public static void main(String[] args) throws Exception {
        String url = args[0];
        String key = args[1];
        String mode = args[2];
        int requests = Integer.parseInt(args[5]);
        int[] levels = Arrays.stream(args[6].split(",")).mapToInt(Integer::parseInt).toArray();
        String header;
        byte[] data;
        if (mode.equals("tensor")) {
            long[] shape = Arrays.stream(args[4].split(",")).mapToLong(Long::parseLong).toArray();
            long count = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
            data = new byte[(int) count * 4];
            header = "{\"inputs\": [{\"name\": \"" + args[3] + "\", \"datatype\": \"FP32\", \"shape\": "
                    + Arrays.toString(shape) + ", \"parameters\": {\"binary_data_size\": " + data.length + "}}],"
                    + " \"parameters\": {\"binary_data_output\": true}}";
        } else {
            byte[] image = Files.readAllBytes(Path.of(args[3]));
            data = ByteBuffer.allocate(4 + image.length).order(ByteOrder.LITTLE_ENDIAN).putInt(image.length)
                    .put(image).array();
            header = "{\"inputs\": [{\"name\": \"image\", \"datatype\": \"BYTES\", \"shape\": [1], \"parameters\":"
                    + " {\"binary_data_size\": " + data.length + "}}], \"parameters\": {\"binary_data_output\": true}}";
        }
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(h);
        body.writeBytes(data);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/octet-stream")
                .header("Inference-Header-Content-Length", String.valueOf(h.length))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
        System.out.println("OIP POST " + url + " (" + mode + ", " + body.size() + " bytes, binary outputs), "
                + requests + " requests per level");
        for (int clients : levels) {
            Throughput.Result r = Throughput.measure(() -> {
                HttpResponse<byte[]> answer = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                if (answer.statusCode() != 200) {
                    throw new IllegalStateException("HTTP " + answer.statusCode() + ": "
                            + new String(answer.body(), StandardCharsets.UTF_8));
                }
                return null;
            }, clients, Math.max(clients, requests));
            System.out.println(r.line());
        }
    }
}
