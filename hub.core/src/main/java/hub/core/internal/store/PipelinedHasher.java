package hub.core.internal.store;

import java.security.MessageDigest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Hashes on its own thread the buffers a transfer has just written, so that network and disk I/O overlap with
 * SHA-256 instead of taking turns: the transfer thread takes a free buffer, fills it, writes it, hands it over;
 * the hasher digests it and frees it. Digest order is buffer order.
 */
final class PipelinedHasher implements AutoCloseable {
    private record Chunk(byte[] buffer, int length) {
    }

    private static final Chunk END = new Chunk(new byte[0], -1);

    private final MessageDigest digest;
    private final BlockingQueue<Chunk> full;
    private final BlockingQueue<byte[]> free;
    private final Thread thread;
    private volatile RuntimeException failure;

    PipelinedHasher(MessageDigest digest, int buffers, int size) {
        this.digest = digest;
        this.full = new ArrayBlockingQueue<>(buffers + 1);
        this.free = new ArrayBlockingQueue<>(buffers);
        for (int i = 0; i < buffers; i++) {
            free.add(new byte[size]);
        }
        this.thread = new Thread(this::run, "hub-sha256");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (true) {
                Chunk c = full.take();
                if (c == END) {
                    return;
                }
                digest.update(c.buffer(), 0, c.length());
                free.put(c.buffer());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    /** @return an empty buffer to fill (waits while all are being hashed) */
    byte[] buffer() throws InterruptedException {
        return free.take();
    }

    /** Hands a filled buffer to the hasher; the buffer must not be touched until {@link #buffer()} returns it. */
    void hash(byte[] buffer, int length) throws InterruptedException {
        full.put(new Chunk(buffer, length));
    }

    /** Gives an unused buffer back. */
    void release(byte[] buffer) {
        free.add(buffer);
    }

    /** Waits until everything handed over is digested. */
    void finish() throws InterruptedException {
        full.put(END);
        thread.join();
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
