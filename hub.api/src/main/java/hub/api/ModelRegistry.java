package hub.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/** The catalog: built-in entries plus custom registrations persisted in the hub home. */
@ProviderType
public interface ModelRegistry {
    /**
     * @param query filter; {@link ModelQuery#ALL} for everything
     * @return matching entries, sorted by name then version (newest last)
     */
    List<ModelDescriptor> list(ModelQuery query);

    /**
     * @param ref a reference; without a version, the latest version
     * @return the entry, if any
     */
    Optional<ModelDescriptor> find(ModelRef ref);

    /**
     * @param ref a reference; without a version, the latest version
     * @return the entry
     * @throws ModelNotFoundException when none matches, listing the known versions of the name
     */
    default ModelDescriptor get(ModelRef ref) {
        return find(ref).orElseThrow(() -> {
            List<String> v = versions(ref.name());
            return new ModelNotFoundException(ref.toString(), v.isEmpty() ? null : "known versions: " + String.join(", ", v));
        });
    }

    /**
     * @param name a model name
     * @return its versions, oldest first; empty when the name is unknown
     */
    List<String> versions(String name);

    /**
     * Registers a custom entry and persists it.
     *
     * @param descriptor the entry
     * @return the stored entry (provenance set to custom)
     * @throws ModelConflictException when that name and version already exist
     */
    ModelDescriptor register(ModelDescriptor descriptor);

    /**
     * Reads and checks a descriptor file (one model, or a {@code models:} list) without registering anything.
     *
     * @param file YAML or JSON
     * @return the descriptors it holds
     * @throws InvalidDescriptorException naming file, line and field
     */
    List<ModelDescriptor> read(Path file);

    /**
     * Parses a YAML or JSON descriptor file (one model, or a {@code models:} list) and registers every entry in it, or
     * none when any is invalid.
     *
     * @param file the descriptor file
     * @return the registered entries
     * @throws InvalidDescriptorException naming file, line and field
     * @throws ModelConflictException when an entry already exists
     */
    List<ModelDescriptor> register(Path file);

    /**
     * Removes a custom entry (built-in entries cannot be removed).
     *
     * @param ref name and version
     * @return the removed entry
     * @throws ModelNotFoundException when no such entry exists
     * @throws ModelConflictException for a built-in entry
     */
    ModelDescriptor unregister(ModelRef ref);
}
