package hub.core.internal.runtime;

import hub.api.Device;
import hub.api.ModelDescriptor;
import hub.api.ModelLease;
import java.util.Optional;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A caller's hold on a {@link LoadedEntry}; closing it twice is harmless. A lease its caller forgot to close is
 * released by the hub's {@link LeaseTracker} once it becomes unreachable, with a warning naming the model.
 */
final class Lease implements ModelLease {
    /** The hold itself, as the lease's phantom: what releasing needs, without a strong reference to the lease. */
    private static final class Hold extends LeaseTracker.Tracked {
        private static final VarHandle OPEN;

        static {
            try {
                OPEN = MethodHandles.lookup().findVarHandle(Hold.class, "open", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final LoadedEntry entry;
        private final Runnable onClosed;
        @SuppressWarnings("unused") // through OPEN
        private volatile int open = 1;
        private volatile boolean explicit;

        Hold(Lease lease, LeaseTracker tracker, LoadedEntry entry, Runnable onClosed) {
            super(lease, tracker);
            this.entry = entry;
            this.onClosed = onClosed;
        }

        boolean isOpen() {
            return open == 1;
        }

        @Override
        public void run() {
            if (OPEN.compareAndSet(this, 1, 0)) {
                if (!explicit) {
                    System.getLogger(Lease.class.getName()).log(System.Logger.Level.WARNING,
                            "a lease on {0} was never closed; it was released when it became unreachable",
                            entry.descriptor.ref());
                }
                if (entry.release()) {
                    onClosed.run();
                }
            }
        }
    }

    private final LoadedEntry entry;
    private final Hold hold;
    private final LeaseTracker tracker;

    Lease(LoadedEntry entry, LeaseTracker tracker, Runnable onClosed) {
        this.entry = entry;
        this.tracker = tracker;
        this.hold = new Hold(this, tracker, entry, onClosed);
        tracker.track(hold);
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
        if (!hold.isOpen()) {
            throw new IllegalStateException("lease on " + entry.descriptor.ref() + " is closed");
        }
        return entry.model.task(type);
    }

    @Override
    public void close() {
        hold.explicit = true;
        tracker.untrack(hold);
        hold.run();
    }
}
