/**
 * Helpers every loader needs, kept out of hub.runtime so they can evolve without touching the native runtime:
 * decoding encoded images safely (format, truncation and size checks with clear errors) and turning them into a
 * model's input tensor in one pass ({@link hub.imaging.Preprocessor}).
 */
@Export
@Version("1.4.0")
package hub.imaging;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
