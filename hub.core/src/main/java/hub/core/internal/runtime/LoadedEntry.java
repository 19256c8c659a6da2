package hub.core.internal.runtime;

import hub.api.Device;
import hub.api.LoadedModelInfo;
import hub.api.ModelDescriptor;
import hub.api.spi.LoadedModel;
import hub.api.spi.ModelLoader;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** One model held in memory, its owner loader, and its leases. Closed exactly once. */
final class LoadedEntry {
    final ModelDescriptor descriptor;
    final LoadedModel model;
    final ModelLoader loader;
    final long memoryBytes;
    final boolean memoryMeasured;
    final Duration loadTime;
    final Instant loadedAt;
    private final Clock clock;
    private final Runnable onClose;
    private volatile Duration warmUpTime;
    /** Milliseconds of the clock at the last acquire or release. */
    private volatile long lastUsed;
    private final java.util.concurrent.atomic.LongAdder served = new java.util.concurrent.atomic.LongAdder();
    /**
     * Leases (low 32 bits) and the two flags, in one word changed by compare-and-set: a lease is taken and given back
     * without a lock (the lease path's cost), and "unload requested" and "closed" change atomically with the count.
     */
    private final java.util.concurrent.atomic.AtomicLong state = new java.util.concurrent.atomic.AtomicLong();
    private static final long COUNT = 0xffff_ffffL;
    private static final long UNLOAD = 1L << 40;
    private static final long CLOSED = 1L << 41;

    LoadedEntry(ModelDescriptor descriptor, LoadedModel model, ModelLoader loader, long memoryBytes,
            boolean memoryMeasured, Duration loadTime, Clock clock, Runnable onClose) {
        this.descriptor = descriptor;
        this.model = model;
        this.loader = loader;
        this.memoryBytes = memoryBytes;
        this.memoryMeasured = memoryMeasured;
        this.loadTime = loadTime;
        this.clock = clock;
        this.onClose = onClose;
        this.loadedAt = clock.instant();
        this.lastUsed = loadedAt.toEpochMilli();
    }

    boolean acquire() {
        while (true) {
            long s = state.get();
            if ((s & (UNLOAD | CLOSED)) != 0) {
                return false;
            }
            if (state.compareAndSet(s, s + 1)) {
                served.increment();
                touch();
                return true;
            }
        }
    }

    /** @return true when this release closed the model (an unload was waiting for it) */
    boolean release() {
        long s = state.decrementAndGet();
        touch();
        return (s & COUNT) == 0 && (s & UNLOAD) != 0 && closeIfUnused();
    }

    private void touch() {
        long now = clock.millis();
        if (lastUsed != now) { // one write per millisecond at most: the field is shared by every request thread
            lastUsed = now;
        }
    }

    /** @return open leases; when zero the model is closed now, else once the last lease closes */
    int requestUnload() {
        long s = state.updateAndGet(v -> v | UNLOAD);
        if ((s & COUNT) == 0) {
            closeIfUnused();
        }
        return (int) (state.get() & COUNT);
    }

    /** Unloads only if nobody holds it: the check and the close are one step. */
    boolean unloadIfIdle() {
        while (true) {
            long s = state.get();
            if ((s & COUNT) > 0 || (s & CLOSED) != 0) {
                return false;
            }
            if (state.compareAndSet(s, s | UNLOAD | CLOSED)) {
                close();
                return true;
            }
        }
    }

    /** Closes the model if it has no lease and is not closed yet; exactly one caller wins. */
    private boolean closeIfUnused() {
        while (true) {
            long s = state.get();
            if ((s & COUNT) != 0 || (s & CLOSED) != 0) {
                return false;
            }
            if (state.compareAndSet(s, s | CLOSED)) {
                close();
                return true;
            }
        }
    }

    boolean isClosed() {
        return (state.get() & CLOSED) != 0;
    }

    int leases() {
        return (int) (state.get() & COUNT);
    }

    Instant lastUsed() {
        return Instant.ofEpochMilli(lastUsed);
    }

    void warmedUp(Duration d) {
        this.warmUpTime = d;
    }

    private void close() {
        try {
            model.close();
        } catch (RuntimeException e) {
            System.getLogger(LoadedEntry.class.getName()).log(System.Logger.Level.WARNING,
                    "closing " + descriptor.ref() + " failed", e);
        } finally {
            onClose.run();
        }
    }

    LoadedModelInfo info(boolean pinned) {
        Device d = model.device();
        return new LoadedModelInfo(descriptor.ref(), descriptor.family(), d, memoryBytes, memoryMeasured, loadTime,
                warmUpTime, loadedAt, lastUsed(), leases(), pinned, served.sum());
    }
}
