/** Text helpers the surfaces share: "did you mean" suggestions. */
@Export
@Version("1.0.0")
package hub.core.text;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
