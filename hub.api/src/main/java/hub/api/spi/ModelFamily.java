package hub.api.spi;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Component property type for loader components: {@code @ModelFamily("detection")} sets the service property
 * {@value ModelLoader#FAMILY_PROPERTY}{@code =detection}.
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface ModelFamily {
    /** Prefix making the property name {@code hub.model.family}. */
    String PREFIX_ = "hub.";

    /** @return the family id, e.g. {@code detection} */
    String value();
}
