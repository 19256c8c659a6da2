package hub.core.internal.runtime;

import hub.api.Device;
import hub.api.Family;
import hub.api.LoadedModelInfo;
import hub.api.ModelDescriptor;
import hub.api.spi.LoadedModel;
import hub.api.spi.ModelLoader;
import java.time.Duration;
import java.time.Instant;

/** One model held in memory, its owner loader, and how many leases are open on it. */
final class LoadedEntry {
    final ModelDescriptor descriptor;
    final LoadedModel model;
    final ModelLoader loader;
    final long memoryBytes;
    final boolean memoryMeasured;
    final Duration loadTime;
    final Instant loadedAt = Instant.now();
    private final Runnable onClose;
    private volatile Instant lastUsed = Instant.now();
    private int leases;
    private boolean unloadRequested;
    private boolean closed;

    LoadedEntry(ModelDescriptor descriptor, LoadedModel model, ModelLoader loader, long memoryBytes,
            boolean memoryMeasured, Duration loadTime, Runnable onClose) {
        this.onClose = onClose;
        this.descriptor = descriptor;
        this.model = model;
        this.loader = loader;
        this.memoryBytes = memoryBytes;
        this.memoryMeasured = memoryMeasured;
        this.loadTime = loadTime;
    }

    synchronized boolean acquire() {
        if (closed || unloadRequested) {
            return false;
        }
        leases++;
        lastUsed = Instant.now();
        return true;
    }

    /** @return true when this release closed the model (an unload was waiting for it) */
    synchronized boolean release() {
        leases--;
        lastUsed = Instant.now();
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

    synchronized boolean isClosed() {
        return closed;
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

    synchronized LoadedModelInfo info() {
        Family f = descriptor.family();
        Device d = model.device();
        return new LoadedModelInfo(descriptor.ref(), f, d, memoryBytes, memoryMeasured, loadTime, null, loadedAt,
                lastUsed, leases, false);
    }
}
