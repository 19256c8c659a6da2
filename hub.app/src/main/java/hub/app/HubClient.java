package hub.app;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.io.ByteArrayOutputStream;

/**
 * The command line's way into a serving hub ({@code hub serve}): sends the arguments over the hub home's control
 * socket and relays the hub's stdout, stderr and exit status. Exits 125 when no hub answers, so that
 * {@code bin/hub} runs the command in a container of its own instead.
 */
public final class HubClient {
    /** Exit status meaning "no hub answered". */
    public static final int NOT_SERVING = 125;

    private HubClient() {
    }

    /**
     * @param args the control socket, then the command line
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        SocketChannel channel;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(args[0]));
        } catch (IOException | RuntimeException e) {
            return NOT_SERVING;
        }
        try (channel) {
            ByteArrayOutputStream req = new ByteArrayOutputStream();
            for (int i = 1; i < args.length; i++) {
                req.writeBytes(args[i].getBytes(StandardCharsets.UTF_8));
                req.write(0);
            }
            DataOutputStream out = new DataOutputStream(Channels.newOutputStream(channel));
            out.writeInt(req.size());
            req.writeTo(out);
            out.flush();
            DataInputStream in = new DataInputStream(Channels.newInputStream(channel));
            while (true) {
                byte kind = in.readByte();
                byte[] payload = in.readNBytes(in.readInt());
                switch (kind) {
                    case 'O' -> System.out.write(payload, 0, payload.length);
                    case 'E' -> System.err.write(payload, 0, payload.length);
                    case 'X' -> {
                        System.out.flush();
                        System.err.flush();
                        return ByteBuffer.wrap(payload).getInt();
                    }
                    default -> throw new IOException("unexpected frame '" + (char) kind + "'");
                }
            }
        } catch (EOFException e) {
            System.err.println("hub: the serving hub closed the connection before the command finished");
            return 1;
        } catch (IOException e) {
            System.err.println("hub: control channel failed: " + e.getMessage());
            return 1;
        }
    }
}
