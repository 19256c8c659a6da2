package hub.core.internal.cli;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiFunction;

/**
 * The serving hub's end of the control channel: a Unix-domain socket in the hub home, readable and writable by its
 * owner only (the socket 0600 in a 0700 directory). Each connection runs one command on the live runtime.
 */
final class ControlServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ControlServer.class.getName());

    /** Runs one command line with the given streams and returns its exit status. */
    interface Runner extends BiFunction<List<String>, PrintStream[], Integer> {
    }

    private final Path socket;
    private final ServerSocketChannel server;
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "hub-control");
        t.setDaemon(true);
        return t;
    });
    private final Thread acceptor;

    ControlServer(Path socket, Runner runner) throws IOException {
        this.socket = socket;
        Path dir = socket.getParent();
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        Files.deleteIfExists(socket); // a stale socket of a killed hub: nobody answers on it
        // bound under a temporary name, restricted, then renamed: the socket never shows with wider permissions
        Path bound = dir.resolve(socket.getFileName() + "." + ProcessHandle.current().pid());
        Files.deleteIfExists(bound);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(bound));
        Files.setPosixFilePermissions(bound, PosixFilePermissions.fromString("rw-------"));
        Files.move(bound, socket, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        acceptor = new Thread(() -> accept(runner), "hub-control-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** @return whether a hub answers on this socket */
    static boolean answering(Path socket) {
        if (!Files.exists(socket)) {
            return false;
        }
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            return c.isConnected();
        } catch (IOException e) {
            return false;
        }
    }

    private void accept(Runner runner) {
        while (server.isOpen()) {
            try {
                SocketChannel c = server.accept();
                workers.submit(() -> serve(c, runner));
            } catch (IOException e) {
                if (server.isOpen()) {
                    LOG.log(Level.WARNING, "control channel accept failed: {0}", e.getMessage());
                }
            }
        }
    }

    private void serve(SocketChannel c, Runner runner) {
        try (c) {
            List<String> args = ControlChannel.readRequest(Channels.newInputStream(c));
            if (args.isEmpty()) {
                return; // a liveness probe
            }
            DataOutputStream out = new DataOutputStream(Channels.newOutputStream(c));
            PrintStream o = new PrintStream(new ControlChannel.FrameStream(out, ControlChannel.OUT), true,
                    StandardCharsets.UTF_8);
            PrintStream e = new PrintStream(new ControlChannel.FrameStream(out, ControlChannel.ERR), true,
                    StandardCharsets.UTF_8);
            int status;
            try {
                status = runner.apply(args, new PrintStream[] {o, e});
            } catch (RuntimeException ex) {
                LOG.log(Level.WARNING, "command " + args + " failed on the control channel", ex);
                e.println("hub: " + ex);
                status = 1;
            }
            o.flush();
            e.flush();
            ControlChannel.exit(out, status);
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "control connection ended: {0}", e.getMessage());
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing
        }
        // commands already running (the stop request's own answer among them) finish first
        workers.shutdown();
        try {
            if (!workers.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            workers.shutdownNow();
        }
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot remove {0}: {1}", socket, e.getMessage());
        }
    }
}
