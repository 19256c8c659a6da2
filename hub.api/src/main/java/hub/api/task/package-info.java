/**
 * Typed task interfaces a loaded model offers (detection, classification, text reading, faces, image embedding)
 * and their result records.
 */
@Export
@Version("1.0.0")
package hub.api.task;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
