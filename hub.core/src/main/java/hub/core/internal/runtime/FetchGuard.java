package hub.core.internal.runtime;

import hub.api.ModelNotCachedException;
import hub.api.ModelRef;
import java.util.function.Supplier;
import org.osgi.service.component.annotations.Component;

/**
 * Whether the work running on this thread may cause model bytes to be downloaded. The request path runs a caller's
 * request inside {@link #run} with the caller's right; the runtime asks {@link #requireFetchAllowed} before it pulls
 * a model it has to load, so no load made on behalf of that caller (an embedding service's detector included) can
 * download anything.
 */
@Component(service = FetchGuard.class)
public class FetchGuard {
    private final ThreadLocal<Boolean> forbidden = ThreadLocal.withInitial(() -> Boolean.FALSE);
    private final ThreadLocal<Boolean> offline = ThreadLocal.withInitial(() -> Boolean.FALSE);
    private final ThreadLocal<hub.api.ProgressListener> progress = ThreadLocal.withInitial(() -> hub.api.ProgressListener.NONE);

    /**
     * Runs work with the downloads it causes on this thread reported to a listener.
     *
     * @param listener the progress listener
     * @param work what to run
     * @param <T> its result
     * @return its result
     */
    public <T> T withProgress(hub.api.ProgressListener listener, Supplier<T> work) {
        hub.api.ProgressListener before = progress.get();
        progress.set(listener == null ? hub.api.ProgressListener.NONE : listener);
        try {
            return work.get();
        } finally {
            progress.set(before);
        }
    }

    /** @return where this thread's downloads report their progress */
    public hub.api.ProgressListener progress() {
        return progress.get();
    }

    /**
     * Runs a caller's work: it may download when the caller may; an admin without that right is offline (the
     * command line's {@code --offline}), and what is missing is named as such.
     *
     * @param caller who the work is for
     * @param work what to run
     * @param <T> its result
     * @return its result
     */
    public <T> T run(hub.api.access.Caller caller, Supplier<T> work) {
        Boolean before = offline.get();
        offline.set(before || caller.admin() && !caller.mayFetch());
        try {
            return run(caller.mayFetch(), work);
        } finally {
            offline.set(before);
        }
    }

    /**
     * @param mayFetch whether the work may download
     * @param work what to run
     * @param <T> its result
     * @return its result
     */
    public <T> T run(boolean mayFetch, Supplier<T> work) {
        Boolean before = forbidden.get();
        forbidden.set(before || !mayFetch);
        try {
            return work.get();
        } finally {
            forbidden.set(before);
        }
    }

    /**
     * @param ref a model version about to be pulled
     * @param cached whether its files are in the cache already
     * @throws ModelNotCachedException when they are not and this thread's work may not download
     */
    public void requireFetchAllowed(ModelRef ref, boolean cached) {
        if (!cached && forbidden.get()) {
            if (offline.get()) {
                throw new ModelNotCachedException(ref, "offline: " + ref + " is not in the cache (hub pull " + ref
                        + " once online)");
            }
            throw new ModelNotCachedException(ref);
        }
    }
}
