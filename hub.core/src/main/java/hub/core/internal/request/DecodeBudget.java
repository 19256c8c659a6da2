package hub.core.internal.request;

import hub.api.inference.CapacityException;
import hub.api.inference.ImageTooLargeException;
import hub.api.task.ImageInput;
import hub.imaging.ImageDecoder;
import hub.imaging.ImageHeader;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Bounds the memory decoding takes: each image's decoded size (read from its header, nothing decoded) must be within
 * the per-image limit, and the requests being decoded at once share a budget; a request waits for room, and one
 * that could never fit is refused at once. Sizes are counted in KiB.
 */
final class DecodeBudget {
    /** Room held by one request; closing it gives the room back. */
    interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    private final long maxImageBytes;
    private final long budgetBytes;
    private final int waitSeconds;
    private final Semaphore room;

    DecodeBudget(long maxImageBytes, long budgetBytes, int waitSeconds) {
        this.maxImageBytes = maxImageBytes;
        this.budgetBytes = Math.min(budgetBytes, (long) Integer.MAX_VALUE << 10);
        this.waitSeconds = waitSeconds;
        this.room = new Semaphore((int) (budgetBytes >> 10), true);
    }

    static DecodeBudget of(InferenceConfig c) {
        long budget = c.decodeBudgetMb() > 0 ? c.decodeBudgetMb() << 20 : Runtime.getRuntime().maxMemory() / 4;
        return new DecodeBudget(Math.max(1, c.maxImageDecodedMb()) << 20, budget, Math.max(0, c.decodeWaitSeconds()));
    }

    /**
     * @param images a request's images
     * @return the room they hold until closed
     * @throws ImageTooLargeException when one image is over the per-image limit, or all of them over the budget
     * @throws CapacityException when no room came free in time
     */
    Permit reserve(List<ImageInput> images) {
        long total = 0;
        for (ImageInput image : images) {
            ImageHeader h;
            try {
                h = ImageDecoder.probe(image);
            } catch (IllegalArgumentException e) {
                continue; // not an image: that image's own error comes from the loader, it decodes nothing
            }
            if (h.decodedBytes() > maxImageBytes) {
                throw new ImageTooLargeException(image.name() + ": " + h.describe() + " is over the limit of "
                        + mb(maxImageBytes) + " per image (hub.inference maxImageDecodedMb)");
            }
            total += h.decodedBytes();
        }
        if (total > budgetBytes) {
            throw new ImageTooLargeException("the request's " + images.size() + " images decode to " + mb(total)
                    + " together, over the decoding budget of " + mb(budgetBytes) + "; send fewer at a time");
        }
        return hold(total);
    }

    /**
     * @param bytes memory a request's tensors take (the copies ONNX Runtime makes of them included)
     * @return the room they hold until closed
     * @throws ImageTooLargeException when they are over the whole budget
     * @throws CapacityException when no room came free in time
     */
    Permit reserveBytes(long bytes) {
        if (bytes > budgetBytes) {
            throw new ImageTooLargeException("the request's tensors take " + mb(bytes) + ", over the budget of "
                    + mb(budgetBytes) + " (hub.inference decodeBudgetMb); send fewer at a time");
        }
        return hold(bytes);
    }

    private Permit hold(long total) {
        int kib = (int) Math.min(budgetBytes >> 10, (total + 1023) >> 10); // never more than the whole budget
        try {
            if (!room.tryAcquire(kib, waitSeconds, TimeUnit.SECONDS)) {
                throw new CapacityException("the decoding budget (" + mb(budgetBytes) + ") stayed full for "
                        + waitSeconds + " s; retry shortly");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CapacityException("interrupted while waiting for the decoding budget");
        }
        boolean[] released = new boolean[1];
        return () -> {
            synchronized (released) {
                if (!released[0]) {
                    released[0] = true;
                    room.release(kib);
                }
            }
        };
    }

    /** @return KiB free now (for tests) */
    int available() {
        return room.availablePermits();
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.0f MB", bytes / 1e6);
    }
}
