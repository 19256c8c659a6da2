package hub.api.plugin;

import java.util.List;

/**
 * One plug-in: a jar in the plug-ins folder and the bundle it became in this hub.
 *
 * @param file the jar's file name in the plug-ins folder
 * @param symbolicName its Bundle-SymbolicName (null when the jar is no bundle)
 * @param version its Bundle-Version (null when the jar is no bundle)
 * @param state the bundle's state in this hub ({@code ACTIVE}, {@code RESOLVED}, {@code INSTALLED}, ...), or
 *        {@code NOT_INSTALLED} while File Install has not installed it (or could not)
 * @param families the model families its loaders provide here
 * @param embeddingServices the embedding services it provides here
 * @param problem why it is not active or provides nothing, in one line (the missing package or service); null when
 *        it works
 */
public record PluginInfo(String file, String symbolicName, String version, String state, List<String> families,
        List<String> embeddingServices, String problem) {
    /** Copies the lists. */
    public PluginInfo {
        families = families == null ? List.of() : List.copyOf(families);
        embeddingServices = embeddingServices == null ? List.of() : List.copyOf(embeddingServices);
    }
}
