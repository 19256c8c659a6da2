package hub.api.plugin;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The hub home's plug-ins folder ({@code HOME/plugins/}): the folder is the state. Felix File Install, in every process
 * of the home, installs and starts a jar dropped in, updates a jar replaced and uninstalls a jar removed, so plug-ins
 * survive restarts and the shell, one-shot commands, the background hub and {@code hub serve} see the same set.
 */
@ProviderType
public interface PluginManager {
    /** @return the plug-ins folder */
    Path folder();

    /** @return every jar of the folder and what it became in this hub, by file name */
    List<PluginInfo> list();

    /**
     * Checks a jar (a bundle, whose imports of the published API this hub satisfies) and copies it into the folder,
     * replacing the jar of the same bundle; then waits up to {@code wait} for this hub to have it active.
     *
     * @param jar the plug-in's jar
     * @param wait how long to wait for it here (zero: do not wait)
     * @return the plug-in as it stands when done waiting
     * @throws PluginException when the jar is no bundle or needs what the hub does not offer, naming it
     */
    PluginInfo install(Path jar, Duration wait);

    /**
     * As {@link #install(Path, Duration)}, for {@code GROUP:ARTIFACT:VERSION} from the local Maven repository or the
     * configured remote one (as {@code maven:} artifact sources resolve), checked against the repository's checksum.
     *
     * @param coordinates {@code GROUP:ARTIFACT:VERSION}
     * @param wait how long to wait for it here
     * @return the plug-in
     * @throws PluginException when it cannot be found, its checksum does not match, or it is no usable bundle
     */
    PluginInfo installMaven(String coordinates, Duration wait);

    /**
     * Removes a plug-in's jar from the folder (File Install then uninstalls it) and waits up to {@code wait} for this
     * hub to have uninstalled it.
     *
     * @param name the jar's file name or the bundle's symbolic name
     * @param wait how long to wait
     * @return the plug-in as it was
     * @throws PluginException when no plug-in has that name
     */
    PluginInfo remove(String name, Duration wait);
}
