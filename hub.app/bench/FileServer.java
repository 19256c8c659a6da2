import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Executors;

/**
 * Benchmark file server on 127.0.0.1: serves one file at /file with its length, from a direct buffer, so the
 * server is not what limits the clients compared. Run: java FileServer.java FILE PORTFILE
 */
public class FileServer {
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/file", x -> {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                long size = ch.size();
                x.getResponseHeaders().add("ETag", "\"bench\"");
                x.sendResponseHeaders(200, size);
                try (OutputStream out = x.getResponseBody()) {
                    WritableByteChannel w = Channels.newChannel(out);
                    ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
                    while (ch.read(buf) >= 0) {
                        buf.flip();
                        while (buf.hasRemaining()) {
                            w.write(buf);
                        }
                        buf.clear();
                    }
                }
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.start();
        java.nio.file.Files.writeString(Path.of(args[1]), String.valueOf(server.getAddress().getPort()));
    }
}
