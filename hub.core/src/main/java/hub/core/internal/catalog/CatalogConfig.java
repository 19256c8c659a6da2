package hub.core.internal.catalog;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Catalog settings (PID {@code hub.catalog}). */
@ObjectClassDefinition(name = "Hub catalog", description = "Custom model registrations")
public @interface CatalogConfig {
    /** @return the largest descriptor file accepted, checked before it is parsed */
    @AttributeDefinition(description = "Largest descriptor file in KB, checked before parsing")
    int maxDescriptorKb() default 1024;
}
