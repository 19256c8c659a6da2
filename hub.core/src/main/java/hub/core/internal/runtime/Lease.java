package hub.core.internal.runtime;

import hub.api.Device;
import hub.api.ModelDescriptor;
import hub.api.ModelLease;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/** A caller's hold on a {@link LoadedEntry}; closing it twice is harmless. */
final class Lease implements ModelLease {
    private final LoadedEntry entry;
    private final Runnable onRelease;
    private final AtomicBoolean open = new AtomicBoolean(true);

    Lease(LoadedEntry entry, Runnable onRelease) {
        this.entry = entry;
        this.onRelease = onRelease;
    }

    @Override
    public ModelDescriptor descriptor() {
        return entry.descriptor;
    }

    @Override
    public Device device() {
        return entry.model.device();
    }

    @Override
    public <T> Optional<T> task(Class<T> type) {
        if (!open.get()) {
            throw new IllegalStateException("lease on " + entry.descriptor.ref() + " is closed");
        }
        return entry.model.task(type);
    }

    @Override
    public void close() {
        if (open.compareAndSet(true, false)) {
            if (entry.release()) {
                onRelease.run();
            }
        }
    }
}
