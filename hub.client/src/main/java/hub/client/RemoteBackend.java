package hub.client;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs commands on the hub serving a home, over its control socket. */
public final class RemoteBackend implements Backend {
    /** Exit status of a command the hub did not finish (it stopped, or the connection broke). */
    public static final int LOST = 1;
    private final Path socket;
    private final Map<String, String> env;
    private volatile SocketChannel running;

    /**
     * @param socket the home's control socket
     * @param env what the hub should know of this client (working directory, offline, terminal)
     */
    public RemoteBackend(Path socket, Map<String, String> env) {
        this.socket = socket;
        this.env = Map.copyOf(env);
    }

    /**
     * @param socket a control socket
     * @return the kind of hub answering there ({@code daemon} or {@code serve}), or null when none answers
     */
    public static String ping(Path socket) {
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(socket));
            new Wire.Request(Wire.PING, Map.of(), List.of()).write(new java.io.BufferedOutputStream(Wire.out(c), 8192));
            ByteArrayOutputStream kind = new ByteArrayOutputStream();
            int status = Wire.receive(Wire.in(c), (k, p) -> kind.write(p));
            return status == 0 ? kind.toString(StandardCharsets.UTF_8).trim() : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Sends one request and relays the answer.
     *
     * @param kind the request kind
     * @param args its arguments
     * @param out stdout
     * @param err stderr
     * @param candidates where completion candidates go, or null
     * @return the exit status
     * @throws IOException when no hub answers on the socket
     */
    public int request(String kind, List<String> args, PrintStream out, PrintStream err, List<String[]> candidates)
            throws IOException {
        SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            c.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            c.close();
            throw e;
        }
        running = c;
        try (c) {
            new Wire.Request(kind, env, args).write(new java.io.BufferedOutputStream(Wire.out(c), 8192));
            int status = Wire.receive(Wire.in(c), (k, p) -> {
                switch (k) {
                    case Wire.OUT -> out.write(p, 0, p.length);
                    case Wire.ERR -> err.write(p, 0, p.length);
                    case Wire.CANDIDATE -> {
                        if (candidates != null) {
                            candidates.add(new String(p, StandardCharsets.UTF_8).split("\t", 2));
                        }
                    }
                    default -> throw new IOException("unexpected frame '" + (char) k + "'");
                }
            });
            out.flush();
            err.flush();
            return status;
        } finally {
            running = null;
        }
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        try {
            return request(Wire.RUN, args, out, err, null);
        } catch (EOFException | java.nio.channels.AsynchronousCloseException e) {
            out.flush();
            err.println(Thread.currentThread().isInterrupted() || running == null ? "hub: cancelled"
                    : "hub: the hub stopped before the command finished");
            return LOST;
        } catch (IOException e) {
            err.println("hub: no hub answers on " + socket + " (" + e.getMessage() + ")");
            return LOST;
        }
    }

    @Override
    public List<String[]> complete(List<String> words) {
        List<String[]> out = new ArrayList<>();
        try {
            PrintStream sink = new PrintStream(java.io.OutputStream.nullOutputStream());
            request(Wire.COMPLETE, words, sink, sink, out);
        } catch (IOException e) {
            // no completion
        }
        return out;
    }

    @Override
    public void cancel() {
        SocketChannel c = running;
        running = null;
        if (c != null) {
            try {
                c.close(); // the hub sees the connection end and cancels the command
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
