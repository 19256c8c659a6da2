package hub.shell.internal;

import hub.client.Wire;
import hub.shell.internal.commands.Session;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The serving hub's end of the control channel: a Unix-domain socket in the hub home that only its owner can open
 * (the socket 0600 in a 0700 directory). Each connection is one request ({@link Wire}); a command's client that goes
 * away before the answer cancels it.
 */
final class ControlServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ControlServer.class.getName());

    /** What the server does with requests. */
    interface Handler {
        /**
         * @param args a command line
         * @param session its session
         * @return the exit status
         */
        int run(List<String> args, Session session);

        /**
         * @param words the words, the last being completed
         * @return candidates
         */
        List<String[]> complete(List<String> words);

        /**
         * @param err where to say why not
         * @return 0 when this hub steps aside for hub serve
         */
        int release(PrintStream err);
    }

    private final Path socket;
    private final ServerSocketChannel server;
    private final Session.Host host;
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "hub-control");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicLong lastActivity = new AtomicLong(System.nanoTime());

    ControlServer(Path socket, Session.Host host, Handler handler) throws IOException {
        this.socket = socket;
        this.host = host;
        Path dir = socket.getParent();
        Files.createDirectories(dir);
        if (!Files.getOwner(dir).getName().equals(System.getProperty("user.name"))) {
            throw new IOException(dir + " belongs to " + Files.getOwner(dir).getName() + ", not to this user");
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        Files.deleteIfExists(socket); // a stale socket of a killed hub: nobody answers on it
        // bound under a temporary name, restricted, then renamed: the socket never shows with wider permissions
        Path bound = dir.resolve(socket.getFileName() + "." + ProcessHandle.current().pid());
        Files.deleteIfExists(bound);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(bound));
        Files.setPosixFilePermissions(bound, PosixFilePermissions.fromString("rw-------"));
        Files.move(bound, socket, StandardCopyOption.ATOMIC_MOVE);
        Thread acceptor = new Thread(() -> accept(handler), "hub-control-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** @return nanoseconds since the last command ended, or 0 while one runs */
    long idleNanos() {
        return running.get() > 0 ? 0 : System.nanoTime() - lastActivity.get();
    }

    /** @return whether the socket is still this server's (a later hub may have replaced it) */
    boolean ownsSocket() {
        return Files.exists(socket);
    }

    private void accept(Handler handler) {
        while (server.isOpen()) {
            try {
                SocketChannel c = server.accept();
                workers.submit(() -> serve(c, handler));
            } catch (IOException e) {
                if (server.isOpen()) {
                    LOG.log(Level.WARNING, "control channel accept failed: {0}", e.getMessage());
                }
            }
        }
    }

    private void serve(SocketChannel c, Handler handler) {
        try (c) {
            InputStream in = Wire.in(c);
            Wire.Request request = Wire.Request.read(in);
            DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(Wire.out(c), 8192));
            switch (request.kind()) {
                case Wire.PING -> {
                    String fingerprint = System.getenv("HUB_FINGERPRINT");
                    byte[] kind = (host.kind() + " " + (fingerprint == null ? "-" : fingerprint))
                            .getBytes(StandardCharsets.UTF_8);
                    Wire.frame(out, Wire.OUT, kind, 0, kind.length);
                    Wire.exit(out, 0);
                }
                case Wire.COMPLETE -> {
                    for (String[] cand : handler.complete(request.args())) {
                        byte[] b = String.join("\t", cand).getBytes(StandardCharsets.UTF_8);
                        Wire.frame(out, Wire.CANDIDATE, b, 0, b.length);
                    }
                    Wire.exit(out, 0);
                }
                case Wire.RELEASE -> {
                    PrintStream e = new PrintStream(new Wire.FrameStream(out, Wire.ERR), true, StandardCharsets.UTF_8);
                    Wire.exit(out, handler.release(e));
                }
                case Wire.RUN -> run(c, in, out, request, handler);
                default -> throw new IOException("unknown request " + request.kind());
            }
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "control connection ended: {0}", e.getMessage());
        }
    }

    private void run(SocketChannel c, InputStream in, DataOutputStream out, Wire.Request request, Handler handler)
            throws IOException {
        PrintStream o = new PrintStream(new Wire.FrameStream(out, Wire.OUT), true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(new Wire.FrameStream(out, Wire.ERR), true, StandardCharsets.UTF_8);
        Session session = Sessions.of(request, o, e, host);
        running.incrementAndGet();
        // the client sends nothing more: its end closing (Ctrl-C) is the cancellation
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        Thread watcher = new Thread(() -> {
            try {
                in.read();
            } catch (IOException ex) {
                // the connection broke: as good as closed
            }
            if (!done.get() && !session.cancelled()) {
                session.cancel(); // the client went away before the answer: Ctrl-C
            }
        }, "hub-control-watch");
        watcher.setDaemon(true);
        session.onCancel(() -> LOG.log(Level.INFO, "command {0} cancelled by its client", request.args()));
        watcher.start();
        int status;
        try {
            status = handler.run(request.args(), session);
        } catch (RuntimeException ex) {
            LOG.log(Level.WARNING, "command " + request.args() + " failed on the control channel", ex);
            e.println("hub: " + ex);
            status = 1;
        } finally {
            done.set(true);
            running.decrementAndGet();
            lastActivity.set(System.nanoTime());
        }
        o.flush();
        e.flush();
        Wire.exit(out, status); // the watcher ends when the connection closes, right after
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
            if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
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
