package hub.api;

import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A caller's hold on a shared loaded model. Every caller of the same model version and device shares one loaded
 * instance; while any lease is open the model stays loaded. Close it when done (try-with-resources).
 */
@ProviderType
public interface ModelLease extends AutoCloseable {
    /** @return the catalog entry of the loaded model */
    ModelDescriptor descriptor();

    /** @return the device the model actually runs on */
    Device device();

    /**
     * @param type a task interface from {@code hub.api.task}, e.g. {@code Detector.class}
     * @param <T> the task type
     * @return the model's implementation of it, if it offers that task
     */
    <T> Optional<T> task(Class<T> type);

    /**
     * @param type a task interface
     * @param <T> the task type
     * @return the task
     * @throws UnsupportedOperationException naming the model and task when it does not offer it
     */
    default <T> T require(Class<T> type) {
        return task(type).orElseThrow(() -> new UnsupportedOperationException(
                "model " + descriptor().ref() + " does not offer " + type.getSimpleName()));
    }

    /** Releases the hold; idempotent. */
    @Override
    void close();
}
