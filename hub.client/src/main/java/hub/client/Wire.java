package hub.client;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The control-socket protocol between {@code bin/hub} and the hub serving its home, over a Unix-domain socket that
 * only the home's owner can open. The client sends one {@link Request}; the hub answers with frames: text for stdout
 * ({@link #OUT}) and stderr ({@link #ERR}), completion candidates ({@link #CANDIDATE}), and last the exit status
 * ({@link #EXIT}). A client that closes its end before the exit frame cancels the command (Ctrl-C).
 */
public final class Wire {
    /** Frame of stdout bytes. */
    public static final byte OUT = 'O';
    /** Frame of stderr bytes. */
    public static final byte ERR = 'E';
    /** Frame of one completion candidate: value, TAB, description. */
    public static final byte CANDIDATE = 'C';
    /** Last frame: the exit status (4 bytes). */
    public static final byte EXIT = 'X';
    /** Runs a command line. */
    public static final String RUN = "run";
    /** Completes the word at an index of a command line. */
    public static final String COMPLETE = "complete";
    /**
     * Asks whether a hub answers; the answer on stdout is its kind ({@code daemon} or {@code serve}), a space, and
     * the fingerprint of what it was started from ({@code HUB_FINGERPRINT}: the build and the environment it reads).
     */
    public static final String PING = "ping";
    /** Asks a background hub (a daemon) to stop so that {@code hub serve} can take the home; a serving hub refuses. */
    public static final String RELEASE = "release";
    /** Environment key: the caller's working directory, for relative file names. */
    public static final String CWD = "cwd";
    /** Environment key: {@code true} when only the cache may be used ({@code --offline}, {@code HUB_OFFLINE=1}). */
    public static final String OFFLINE = "offline";
    /** Environment key: {@code true} when the client's stdout is a terminal. */
    public static final String OUT_TTY = "out.tty";
    /** Environment key: {@code true} when the client's stderr is a terminal (progress redrawn in place). */
    public static final String ERR_TTY = "err.tty";
    /** Environment key: {@code true} when failures should print their stack trace ({@code HUB_TRACE}). */
    public static final String TRACE = "trace";
    /** Environment key: the terminal's width in columns. */
    public static final String COLUMNS = "columns";
    private static final int MAGIC = 0x48554202; // "HUB" and the protocol version
    private static final int MAX_BYTES = 1 << 20;

    private Wire() {
    }

    /** Unix-domain socket paths longer than this do not fit in {@code sockaddr_un} (108 bytes on Linux, with NUL). */
    static final int MAX_SOCKET_PATH = 100;

    /**
     * Where the control socket of a home is: {@code HOME/run/hub.sock}, or, when that path is too long for a
     * Unix-domain socket, {@code TMPDIR/vision-hub-USER/HASH.sock} in a directory only its owner can enter.
     *
     * @param home the hub home (absolute)
     * @return the socket's path
     */
    public static java.nio.file.Path socket(java.nio.file.Path home) {
        java.nio.file.Path local = home.resolve("run").resolve("hub.sock");
        if (local.toString().getBytes(StandardCharsets.UTF_8).length <= MAX_SOCKET_PATH) {
            return local;
        }
        String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9._-]", "_");
        String hash;
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(home.toString().getBytes(StandardCharsets.UTF_8));
            hash = java.util.HexFormat.of().formatHex(d, 0, 12);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "vision-hub-" + user, hash + ".sock");
    }

    /**
     * One request.
     *
     * @param kind {@link #RUN}, {@link #COMPLETE}, {@link #PING} or {@link #RELEASE}
     * @param env the caller's environment ({@link #CWD}, {@link #OFFLINE}, terminal facts)
     * @param args the command line (for {@link #COMPLETE}: the words, the last being the one to complete)
     */
    public record Request(String kind, Map<String, String> env, List<String> args) {
        /** Copies the collections. */
        public Request {
            env = Map.copyOf(env);
            args = List.copyOf(args);
        }

        /**
         * @param out where to write it
         * @throws IOException when the socket fails
         */
        public void write(OutputStream out) throws IOException {
            DataOutputStream d = new DataOutputStream(out);
            d.writeInt(MAGIC);
            bytes(d, kind);
            d.writeInt(env.size());
            for (Map.Entry<String, String> e : env.entrySet()) {
                bytes(d, e.getKey());
                bytes(d, e.getValue());
            }
            d.writeInt(args.size());
            for (String a : args) {
                bytes(d, a);
            }
            d.flush();
        }

        /**
         * @param in where to read it from
         * @return the request
         * @throws IOException when the socket fails or the request is malformed or too large
         */
        public static Request read(InputStream in) throws IOException {
            DataInputStream d = new DataInputStream(in);
            if (d.readInt() != MAGIC) {
                throw new IOException("not a hub control request (or another protocol version)");
            }
            int[] budget = {MAX_BYTES};
            String kind = string(d, budget);
            int n = count(d);
            Map<String, String> env = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                env.put(string(d, budget), string(d, budget));
            }
            n = count(d);
            List<String> args = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                args.add(string(d, budget));
            }
            return new Request(kind, env, args);
        }

        /**
         * @param key an environment key
         * @return whether it is {@code true}
         */
        public boolean flag(String key) {
            return Boolean.parseBoolean(env.get(key));
        }
    }

    private static void bytes(DataOutputStream d, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        d.writeInt(b.length);
        d.write(b);
    }

    private static int count(DataInputStream d) throws IOException {
        int n = d.readInt();
        if (n < 0 || n > 65_536) {
            throw new IOException("bad count " + n);
        }
        return n;
    }

    private static String string(DataInputStream d, int[] budget) throws IOException {
        int n = d.readInt();
        if (n < 0 || n > budget[0]) {
            throw new IOException("request too large");
        }
        budget[0] -= n;
        return new String(d.readNBytes(n), StandardCharsets.UTF_8);
    }

    /**
     * Writes one frame.
     *
     * @param out the socket's stream
     * @param kind the frame kind
     * @param b payload
     * @param off offset
     * @param len length
     * @throws IOException when the socket fails (the client went away)
     */
    public static void frame(DataOutputStream out, byte kind, byte[] b, int off, int len) throws IOException {
        synchronized (out) {
            out.writeByte(kind);
            out.writeInt(len);
            out.write(b, off, len);
            out.flush();
        }
    }

    /**
     * @param out the socket's stream
     * @param status the exit status
     * @throws IOException when the socket fails
     */
    public static void exit(DataOutputStream out, int status) throws IOException {
        byte[] b = {(byte) (status >>> 24), (byte) (status >>> 16), (byte) (status >>> 8), (byte) status};
        frame(out, EXIT, b, 0, 4);
    }

    /** An output stream that sends what is written as frames of one kind. */
    public static final class FrameStream extends OutputStream {
        private final DataOutputStream out;
        private final byte kind;

        /**
         * @param out the socket's stream
         * @param kind {@link #OUT} or {@link #ERR}
         */
        public FrameStream(DataOutputStream out, byte kind) {
            this.out = out;
            this.kind = kind;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > 0) {
                frame(out, kind, b, off, len);
            }
        }
    }

    /** What a client receives. */
    public interface Receiver {
        /**
         * @param kind {@link #OUT}, {@link #ERR} or {@link #CANDIDATE}
         * @param payload the frame's bytes
         * @throws IOException when relaying fails
         */
        void frame(byte kind, byte[] payload) throws IOException;
    }

    /**
     * Reads frames until the exit frame.
     *
     * @param in the socket's stream
     * @param receiver gets every other frame
     * @return the exit status
     * @throws IOException when the socket fails or closes first ({@link java.io.EOFException})
     */
    public static int receive(InputStream in, Receiver receiver) throws IOException {
        DataInputStream d = new DataInputStream(in);
        while (true) {
            byte kind = d.readByte();
            int n = d.readInt();
            if (n < 0 || n > MAX_BYTES * 16) {
                throw new IOException("bad frame length " + n);
            }
            byte[] payload = d.readNBytes(n);
            if (kind == EXIT) {
                return ((payload[0] & 0xff) << 24) | ((payload[1] & 0xff) << 16) | ((payload[2] & 0xff) << 8)
                        | (payload[3] & 0xff);
            }
            receiver.frame(kind, payload);
        }
    }

    /**
     * A stream reading a socket channel. Unlike {@link java.nio.channels.Channels#newInputStream}, it holds no lock a
     * writer needs: one thread may wait for the peer to close while another writes frames.
     *
     * @param channel a connected, blocking channel
     * @return its input
     */
    public static InputStream in(java.nio.channels.ByteChannel channel) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                int n = channel.read(java.nio.ByteBuffer.wrap(b, off, len));
                return n < 0 ? -1 : n;
            }
        };
    }

    /**
     * @param channel a connected, blocking channel
     * @return its output (see {@link #in})
     */
    public static OutputStream out(java.nio.channels.ByteChannel channel) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b, off, len);
                while (buf.hasRemaining()) {
                    channel.write(buf);
                }
            }
        };
    }
}
