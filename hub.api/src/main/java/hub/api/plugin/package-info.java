/**
 * Plug-ins as users install them: bundles (model families, embedding services) kept as jars in the hub home's
 * {@code plugins/} folder, which Felix File Install watches in every process of the home; {@link PluginManager} adds,
 * lists and removes them.
 */
@Export
@Version("1.0.0")
package hub.api.plugin;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
