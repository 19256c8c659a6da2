package hub.api.embedding;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Component property type for a {@link VisionEmbeddingService}: {@code @EmbeddingService(id = "face", ...)} gives
 * the component the {@code hub.embedding.*} service properties the registry lists without calling it.
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface EmbeddingService {
    /** Prefix making the property names {@code hub.embedding.id} etc. */
    String PREFIX_ = "hub.embedding.";

    /** @return the service id */
    String id();

    /** @return a one-line description */
    String description() default "";

    /** @return the implementation's version */
    String version() default "";

    /** @return the author */
    String author() default "";

    /** @return tags */
    String[] tags() default {};
}
