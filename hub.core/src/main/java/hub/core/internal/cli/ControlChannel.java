package hub.core.internal.cli;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The wire format between {@code bin/hub} and a serving hub, over a Unix-domain socket: the client sends one
 * request (the arguments, NUL-separated, length-prefixed); the hub answers with frames of stdout text, stderr text
 * and finally the exit status. The client side (hub.app's HubClient) speaks the same format.
 */
final class ControlChannel {
    static final byte OUT = 'O';
    static final byte ERR = 'E';
    static final byte EXIT = 'X';
    private static final int MAX_REQUEST = 1 << 20;

    private ControlChannel() {
    }

    static List<String> readRequest(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        int n = d.readInt();
        if (n < 0 || n > MAX_REQUEST) {
            throw new IOException("bad request length " + n);
        }
        byte[] b = d.readNBytes(n);
        List<String> args = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < b.length; i++) {
            if (b[i] == 0) {
                args.add(new String(b, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        if (start < b.length) {
            args.add(new String(b, start, b.length - start, StandardCharsets.UTF_8));
        }
        return args;
    }

    /** An output stream that sends what is written as frames of one kind. */
    static final class FrameStream extends OutputStream {
        private final DataOutputStream out;
        private final byte kind;

        FrameStream(DataOutputStream out, byte kind) {
            this.out = out;
            this.kind = kind;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return;
            }
            synchronized (out) {
                out.writeByte(kind);
                out.writeInt(len);
                out.write(b, off, len);
                out.flush();
            }
        }
    }

    static void exit(DataOutputStream out, int status) throws IOException {
        synchronized (out) {
            out.writeByte(EXIT);
            out.writeInt(4);
            out.writeInt(status);
            out.flush();
        }
    }
}
