package hub.core.internal.state;

import hub.api.state.StateKind;
import hub.api.state.StateStore;
import hub.api.state.StateUnavailableException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A hub's copy of one kind of shared state: read again when the store says the kind changed (a notification, or the
 * files store's cheap version check), kept serving while the store is unreachable. The version is recorded only after
 * the new copy is published, so no caller takes the old copy for the new version.
 *
 * @param <T> what the documents become
 */
public final class StateCopy<T> implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(StateCopy.class.getName());
    private final StateStore store;
    private final StateKind kind;
    private final Function<java.util.Map<String, String>, T> decode;
    private final AutoCloseable watching;
    private volatile T copy;
    private volatile boolean stale = true;
    private volatile long seen = Long.MIN_VALUE;
    private volatile boolean reported;
    /** Whether a read ever succeeded: before that there is no copy to serve, and the store's error stands. */
    private volatile boolean loaded;

    /**
     * @param store the shared state
     * @param kind the kind copied
     * @param empty the copy before the first read succeeds
     * @param decode the documents, by key, to the copy
     * @param changed told after a notification (may be null)
     */
    public StateCopy(StateStore store, StateKind kind, T empty, Function<java.util.Map<String, String>, T> decode,
            Consumer<StateKind> changed) {
        this.store = store;
        this.kind = kind;
        this.copy = empty;
        this.decode = decode;
        this.watching = store.watch(k -> {
            if (k == kind) {
                stale = true;
                if (changed != null) {
                    changed.accept(k);
                }
            }
        });
    }

    /**
     * @return the current copy, read again first when the store changed
     * @throws StateUnavailableException when the store cannot be read and no read ever succeeded
     */
    public T get() {
        long version = store.version(kind);
        if (!stale && version == seen) {
            return copy;
        }
        synchronized (this) {
            if (!stale && version == seen) {
                return copy;
            }
            stale = false; // before reading: a change notified meanwhile makes the next call read again
            try {
                copy = decode.apply(store.documents(kind));
                seen = version;
                reported = false;
                loaded = true;
            } catch (StateUnavailableException e) {
                stale = true;
                if (!loaded) {
                    throw e;
                }
                if (!reported) {
                    reported = true;
                    LOG.log(System.Logger.Level.WARNING, "serving this hub''s copy of the {0}: {1}",
                            kind.name().toLowerCase(java.util.Locale.ROOT), e.getMessage());
                }
            }
            return copy;
        }
    }

    /** Marks the copy stale (after this hub's own write). */
    public void invalidate() {
        stale = true;
    }

    @Override
    public void close() throws Exception {
        watching.close();
    }
}
