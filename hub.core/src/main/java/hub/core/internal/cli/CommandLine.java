package hub.core.internal.cli;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The one-shot command line handed over by the launcher script: the arguments NUL-separated and Base64-encoded in a
 * framework property, so that no quoting survives or breaks on the way. Rendered as a Gogo command with every
 * argument quoted literally.
 */
final class CommandLine {
    private CommandLine() {
    }

    static List<String> decode(String encoded) {
        String raw = new String(Base64.getDecoder().decode(encoded.trim()), StandardCharsets.UTF_8);
        List<String> args = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < raw.length(); i++) {
            if (raw.charAt(i) == '\0') {
                args.add(raw.substring(start, i));
                start = i + 1;
            }
        }
        if (start < raw.length()) {
            args.add(raw.substring(start));
        }
        return args;
    }

    /** Gogo quoting: single quotes are literal; double quotes need {@code \\ " $} escaped. */
    static String quote(String arg) {
        if (arg.indexOf('\'') < 0) {
            return "'" + arg + "'";
        }
        StringBuilder b = new StringBuilder("\"");
        for (char c : arg.toCharArray()) {
            if (c == '\\' || c == '"' || c == '$') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.append('"').toString();
    }

    static String gogo(String scope, List<String> args) {
        StringBuilder b = new StringBuilder(scope).append(':').append(args.get(0));
        for (String a : args.subList(1, args.size())) {
            b.append(' ').append(quote(a));
        }
        return b.toString();
    }
}
