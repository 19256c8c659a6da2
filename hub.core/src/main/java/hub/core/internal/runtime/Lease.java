package hub.core.internal.runtime;

import hub.api.Device;
import hub.api.ModelDescriptor;
import hub.api.ModelLease;
import java.lang.ref.Cleaner;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A caller's hold on a {@link LoadedEntry}; closing it twice is harmless. A lease its caller forgot to close is
 * released by the hub's {@link Cleaner} once it becomes unreachable, with a warning naming the model.
 */
final class Lease implements ModelLease {
    /** What the cleaner needs, without a reference back to the lease. */
    private static final class Hold implements Runnable {
        private final LoadedEntry entry;
        private final Runnable onClosed;
        private final AtomicBoolean open = new AtomicBoolean(true);
        private volatile boolean explicit;

        Hold(LoadedEntry entry, Runnable onClosed) {
            this.entry = entry;
            this.onClosed = onClosed;
        }

        @Override
        public void run() {
            if (open.compareAndSet(true, false)) {
                if (!explicit) {
                    System.getLogger(Lease.class.getName()).log(System.Logger.Level.WARNING,
                            "a lease on {0} was never closed; the cleaner released it", entry.descriptor.ref());
                }
                if (entry.release()) {
                    onClosed.run();
                }
            }
        }
    }

    private final LoadedEntry entry;
    private final Hold hold;
    private final Cleaner.Cleanable cleanable;

    Lease(LoadedEntry entry, Cleaner cleaner, Runnable onClosed) {
        this.entry = entry;
        this.hold = new Hold(entry, onClosed);
        this.cleanable = cleaner.register(this, hold);
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
        if (!hold.open.get()) {
            throw new IllegalStateException("lease on " + entry.descriptor.ref() + " is closed");
        }
        return entry.model.task(type);
    }

    @Override
    public void close() {
        hold.explicit = true;
        cleanable.clean();
    }
}
