package hub.core.internal.plugin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OSGi manifest headers such as {@code Import-Package}: clauses separated by commas (outside quotes), each one or more
 * names separated by semicolons followed by {@code key=value} attributes and {@code key:=value} directives.
 */
final class ManifestHeader {
    /**
     * One name of a clause with the clause's parameters.
     *
     * @param name a package or bundle name
     * @param attributes attributes and directives (directives keep their {@code :} suffix), quotes removed
     */
    record Clause(String name, Map<String, String> attributes) {
    }

    private ManifestHeader() {
    }

    static List<Clause> parse(String header) {
        List<Clause> out = new ArrayList<>();
        if (header == null || header.isBlank()) {
            return out;
        }
        for (String clause : split(header, ',')) {
            List<String> names = new ArrayList<>();
            Map<String, String> attributes = new LinkedHashMap<>();
            for (String part : split(clause, ';')) {
                String p = part.trim();
                int eq = p.indexOf('=');
                if (eq < 0) {
                    if (!p.isEmpty()) {
                        names.add(p);
                    }
                    continue;
                }
                String key = p.substring(0, eq).trim();
                String value = p.substring(eq + 1).trim();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                attributes.put(key, value);
            }
            for (String n : names) {
                out.add(new Clause(n, attributes));
            }
        }
        return out;
    }

    /** Splits on {@code separator} outside double quotes. */
    private static List<String> split(String s, char separator) {
        List<String> out = new ArrayList<>();
        boolean quoted = false;
        int from = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == separator && !quoted) {
                out.add(s.substring(from, i));
                from = i + 1;
            }
        }
        out.add(s.substring(from));
        return out;
    }
}
