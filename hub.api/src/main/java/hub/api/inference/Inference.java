package hub.api.inference;

import hub.api.Device;
import hub.api.LoadedModelInfo;
import hub.api.ModelRef;
import hub.api.access.Caller;
import hub.api.task.ImageInput;
import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The one request path every surface runs tasks through. For each request it resolves the model once (the explicit
 * reference, else what the task's alias points to now), takes one lease, checks the caller's access against the
 * descriptor of the model actually leased, refuses downloads the caller may not cause, bounds the memory that
 * decoding the images may take, runs the task and returns typed results.
 */
@ProviderType
public interface Inference {
    /**
     * @param caller who asks (its tier, role and whether it may cause downloads)
     * @param task the task
     * @param model {@code NAME[@VERSION]}, or null / blank for the task's alias (or, for {@link Task#EMBED}, the
     *        embedding service's default model)
     * @param images encoded images, at least one
     * @param options threshold, top, embedding service, batch size, device
     * @param <T> the result per image
     * @return the model that ran and one result or error per image
     * @throws hub.api.ModelNotFoundException when the model is unknown or the alias points nowhere (the message says
     *         how to name a model or set the alias)
     * @throws hub.api.access.AccessDeniedException when the caller's tier does not include the model's
     * @throws hub.api.ModelNotCachedException when the model is not in the cache and the caller may not fetch it
     * @throws ImageTooLargeException when an image would decode past the limits
     * @throws UnreadableImagesException when no image could be used
     */
    <T> InferenceResult<T> run(Caller caller, Task<T> task, String model, List<ImageInput> images,
            TaskOptions options);

    /**
     * Compares the most confident face of two images.
     *
     * @param caller who asks
     * @param detector face detector, or null for the {@code face} alias's (else {@code yunet})
     * @param embedder face recognition model
     * @param a first image
     * @param b second image
     * @param threshold same-person threshold, NaN for the model's
     * @return the similarity and the verdict
     */
    FaceComparison compareFaces(Caller caller, String detector, String embedder, ImageInput a, ImageInput b,
            float threshold);

    /**
     * Loads a model (warm for later requests) as the caller.
     *
     * @param caller who asks
     * @param ref the model
     * @param device where
     * @return the loaded model's figures
     */
    LoadedModelInfo load(Caller caller, ModelRef ref, Device device);

    /**
     * @param caller who asks
     * @return the aliases whose models the caller may see
     */
    Map<String, ModelRef> aliases(Caller caller);

    /**
     * @param caller who asks
     * @return the loaded models the caller may see
     */
    List<LoadedModelInfo> loaded(Caller caller);

    /**
     * Resolves a model as a protocol names it (a catalog name, {@code NAME@VERSION}, or an alias) and describes it.
     *
     * @param caller who asks (must be allowed to see the model; to load it, to use it)
     * @param model the model's name, reference or alias
     * @param load whether to load it (as {@link #load} does) so that its graph can be read; without, a model that
     *        is not loaded is described without inputs, outputs and tasks
     * @return its description
     * @throws hub.api.ModelNotFoundException when no model or alias has that name
     * @throws hub.api.access.AccessDeniedException when the caller may not see (or use) it
     */
    ModelSignature describe(Caller caller, String model, boolean load);

    /**
     * Runs a model's raw graph once, through the same resolution, lease and access rules as {@link #run}.
     *
     * @param caller who asks
     * @param model the model's name, reference or alias
     * @param inputs every input of the graph
     * @param outputs the outputs wanted, empty for all
     * @return the outputs
     * @throws IllegalArgumentException naming an input or output that does not fit the graph
     * @throws UnsupportedOperationException when the model offers no raw graph
     */
    TensorResult infer(Caller caller, String model, java.util.List<hub.api.task.Tensor> inputs,
            java.util.Set<String> outputs);

    /**
     * Unloads a model as the caller (an administrator's operation).
     *
     * @param caller who asks
     * @param ref the model
     * @return what was unloaded
     */
    hub.api.UnloadResult unload(Caller caller, ModelRef ref);

    /**
     * @param caller who asks
     * @return the request counts and times of every model the caller may see that served or failed a request
     */
    List<ModelStatistics> statistics(Caller caller);

    /**
     * Runs work on this thread (a {@link #run}, {@link #load} or {@link #compareFaces}) with the progress of any
     * download it causes reported to a listener: a model that is not in the cache yet is fetched before it loads,
     * and a command line shows that as it shows {@code pull}.
     *
     * @param progress receives each transfer's progress and retries
     * @param work what to run
     * @param <T> its result
     * @return its result
     */
    default <T> T withProgress(hub.api.ProgressListener progress, java.util.function.Supplier<T> work) {
        return work.get();
    }
}
