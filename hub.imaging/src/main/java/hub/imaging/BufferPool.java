package hub.imaging;

import java.nio.FloatBuffer;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Direct float buffers for input tensors, kept for the next request: ONNX Runtime reads a direct buffer in the
 * platform's byte order in place, so an input written by a {@link Preprocessor} into one is never copied, and the
 * megabytes of a detector's input are not allocated (and zeroed) per request. Thread-safe.
 */
public final class BufferPool {
    private final ConcurrentLinkedDeque<FloatBuffer> free = new ConcurrentLinkedDeque<>();
    private final AtomicInteger kept = new AtomicInteger();
    private final int keep;

    /** @param keep how many buffers to keep at most (about the number of concurrent requests of a model) */
    public BufferPool(int keep) {
        this.keep = keep;
    }

    /**
     * @param floats the size needed
     * @return a direct buffer with position 0 and limit {@code floats}; give it back when its tensor is closed
     */
    public FloatBuffer take(int floats) {
        FloatBuffer b;
        while ((b = free.pollFirst()) != null) {
            kept.decrementAndGet();
            if (b.capacity() >= floats) {
                return b.clear().limit(floats);
            }
        }
        return Preprocessor.allocate(floats);
    }

    /** @param buffer a buffer from {@link #take} whose tensor is closed (no one reads it any more) */
    public void give(FloatBuffer buffer) {
        if (buffer != null && buffer.isDirect() && kept.incrementAndGet() <= keep) {
            free.addFirst(buffer);
        } else if (buffer != null && buffer.isDirect()) {
            kept.decrementAndGet();
        }
    }
}
