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
    private volatile Instant lastUsed;
    private int leases;
    private long served;
    private boolean unloadRequested;
    private boolean closed;

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
        this.lastUsed = loadedAt;
    }

    synchronized boolean acquire() {
        if (closed || unloadRequested) {
            return false;
        }
        leases++;
        served++;
        lastUsed = clock.instant();
        return true;
    }

    /** @return true when this release closed the model (an unload was waiting for it) */
    synchronized boolean release() {
        leases--;
        lastUsed = clock.instant();
        if (leases == 0 && unloadRequested) {
            closeNow();
            return true;
        }
        return false;
    }

    /** @return open leases; when zero the model is closed now, else once the last lease closes */
    synchronized int requestUnload() {
        unloadRequested = true;
        if (leases == 0) {
            closeNow();
        }
        return leases;
    }

    /** Unloads only if nobody holds it: the check and the close are one step. */
    synchronized boolean unloadIfIdle() {
        if (leases > 0 || closed) {
            return false;
        }
        unloadRequested = true;
        closeNow();
        return true;
    }

    synchronized boolean isClosed() {
        return closed;
    }

    synchronized int leases() {
        return leases;
    }

    Instant lastUsed() {
        return lastUsed;
    }

    void warmedUp(Duration d) {
        this.warmUpTime = d;
    }

    private void closeNow() {
        if (!closed) {
            closed = true;
            try {
                model.close();
            } catch (RuntimeException e) {
                System.getLogger(LoadedEntry.class.getName()).log(System.Logger.Level.WARNING,
                        "closing " + descriptor.ref() + " failed", e);
            } finally {
                onClose.run();
            }
        }
    }

    synchronized LoadedModelInfo info(boolean pinned) {
        Device d = model.device();
        return new LoadedModelInfo(descriptor.ref(), descriptor.family(), d, memoryBytes, memoryMeasured, loadTime,
                warmUpTime, loadedAt, lastUsed, leases, pinned, served);
    }
}
