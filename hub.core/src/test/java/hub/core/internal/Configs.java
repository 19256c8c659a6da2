package hub.core.internal;

import java.lang.reflect.Proxy;
import java.util.Map;

/** Builds component property type instances for tests: the annotation's defaults, with overrides. */
public final class Configs {
    private Configs() {
    }

    public static <A> A of(Class<A> type, Map<String, Object> overrides) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, m, args) -> {
            if (m.getName().equals("annotationType")) {
                return type;
            }
            if (m.getName().equals("toString")) {
                return type.getSimpleName() + overrides;
            }
            if (m.getName().equals("hashCode")) {
                return System.identityHashCode(proxy);
            }
            if (m.getName().equals("equals")) {
                return proxy == args[0];
            }
            return overrides.containsKey(m.getName()) ? overrides.get(m.getName()) : m.getDefaultValue();
        }));
    }
}
