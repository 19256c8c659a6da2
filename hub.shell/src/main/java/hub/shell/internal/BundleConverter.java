package hub.shell.internal;

import org.apache.felix.service.command.Converter;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * Turns a bundle's id or symbolic name into the bundle for the framework's Gogo commands ({@code headers 38},
 * {@code uninstall org.example.digits}), as the Gogo shell's own converters do: the hub runs Gogo's runtime and
 * commands without the Gogo shell, which carries them.
 */
@Component(service = Converter.class, property = "osgi.converter.classes=org.osgi.framework.Bundle")
public class BundleConverter implements Converter {
    private final BundleContext context;

    /**
     * @param context where bundles are looked up
     */
    @Activate
    public BundleConverter(BundleContext context) {
        this.context = context;
    }

    @Override
    public Object convert(Class<?> desired, Object in) {
        if (desired != Bundle.class || in == null) {
            return null;
        }
        String word = in.toString().trim();
        if (word.matches("\\d+")) {
            return context.getBundle(Long.parseLong(word));
        }
        Bundle found = null;
        for (Bundle b : context.getBundles()) {
            if (word.equals(b.getSymbolicName()) && (found == null || b.getVersion().compareTo(found.getVersion()) > 0)) {
                found = b;
            }
        }
        if (found == null) {
            throw new IllegalArgumentException("no bundle '" + word + "' (lb lists them)");
        }
        return found;
    }

    @Override
    public CharSequence format(Object target, int level, Converter escape) {
        if (target instanceof Bundle b && level == LINE) {
            return b.getBundleId() + " " + b.getSymbolicName() + " " + b.getVersion();
        }
        return null;
    }
}
