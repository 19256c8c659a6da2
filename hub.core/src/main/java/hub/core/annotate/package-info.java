/** Results drawn on images (PNG), for the surfaces: the shell's {@code --out} and the HTTP API's annotated answers. */
@Export
@Version("2.0.0")
package hub.core.annotate;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
