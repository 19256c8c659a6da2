package hub.api.spi;

import hub.api.Device;
import java.util.Optional;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A model a loader opened. The hub owns it: it hands leases to callers and calls {@link #close()} exactly once when
 * the model is unloaded. Implementations must be safe for concurrent task calls.
 */
@ConsumerType
public interface LoadedModel extends AutoCloseable {
    /** @return the device the model actually runs on */
    Device device();

    /**
     * The default suits a model class that implements its task interfaces itself ({@code implements Detector});
     * override it to hand out separate task objects.
     *
     * @param type a task interface from {@code hub.api.task}
     * @param <T> the task type
     * @return this model's implementation, when it offers the task
     */
    default <T> Optional<T> task(Class<T> type) {
        return type.isInstance(this) ? Optional.of(type.cast(this)) : Optional.empty();
    }

    /**
     * Runs one real inference so that the first caller does not pay for lazy initialisation.
     *
     * @throws Exception when the model cannot run
     */
    default void warmUp() throws Exception {
    }

    /** @return native memory the loader knows the model holds, or -1 to let the hub measure or estimate it */
    default long memoryBytes() {
        return -1;
    }

    /** Releases native resources. */
    @Override
    void close();
}
