package hub.api.spi;

import hub.api.ModelDescriptor;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard service a loader bundle registers for one model family, e.g.
 * {@code @Component(service = ModelLoader.class) @ModelFamily("detection")}. The hub picks the loader whose
 * {@value #FAMILY_PROPERTY} matches the model's family; loaders come and go with their bundles.
 */
@ConsumerType
public interface ModelLoader {
    /** Service property naming the family the loader handles. */
    String FAMILY_PROPERTY = "hub.model.family";

    /**
     * Opens a model from verified local files.
     *
     * @param request entry, files, device and thread options
     * @return the opened model, owned by the hub from now on
     * @throws Exception when the files cannot be opened as this family's model
     */
    LoadedModel open(LoadRequest request) throws Exception;

    /**
     * @param descriptor a catalog entry of this loader's family
     * @return whether this loader can open it (a YOLO loader may refuse an SSD layout, say)
     */
    default boolean accepts(ModelDescriptor descriptor) {
        return true;
    }
}
