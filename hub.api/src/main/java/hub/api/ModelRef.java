package hub.api;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A reference to a model: {@code name}, {@code name@version} or {@code name@latest}. Names and versions are
 * validated so that no reference can name a path outside the hub home.
 *
 * @param name the model name
 * @param version the version, or {@code null} for the latest one
 */
public record ModelRef(String name, String version) {
    /** The version keyword meaning "the newest version in the catalog". */
    public static final String LATEST = "latest";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}");

    /**
     * Validates name and version; {@code latest} becomes {@code null}.
     *
     * @param name the model name
     * @param version the version or null
     */
    public ModelRef {
        name = validateName(name);
        if (version != null && (version.isEmpty() || version.equalsIgnoreCase(LATEST))) {
            version = null;
        }
        if (version != null) {
            version = validateVersion(version);
        }
    }

    /**
     * Parses {@code name}, {@code name@version} or {@code name@latest}.
     *
     * @param text the reference
     * @return the parsed reference
     * @throws IllegalArgumentException naming what is wrong
     */
    public static ModelRef parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty model reference (expected NAME or NAME@VERSION)");
        }
        int at = text.indexOf('@');
        if (at < 0) {
            return new ModelRef(text.trim(), null);
        }
        if (text.substring(at + 1).isBlank()) {
            throw new IllegalArgumentException("invalid model reference '" + text + "': no version after '@' (NAME, "
                    + "NAME@VERSION or NAME@latest)");
        }
        if (text.indexOf('@', at + 1) >= 0) {
            throw new IllegalArgumentException("invalid model reference '" + text + "': more than one '@'");
        }
        return new ModelRef(text.substring(0, at).trim(), text.substring(at + 1).trim());
    }

    /**
     * Checks a model name: letters, digits, '.', '_' and '-', starting with a letter or digit, never {@code ..},
     * no path separator and no control character.
     *
     * @param name the name
     * @return the name
     * @throws IllegalArgumentException naming the problem
     */
    public static String validateName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("model name is empty");
        }
        check(name, "model name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid model name '" + printable(name)
                    + "': use letters, digits, '.', '_' and '-', starting with a letter or digit, at most 128");
        }
        return name;
    }

    /**
     * Checks a version string with the same rules as names (plus '+').
     *
     * @param version the version
     * @return the version
     */
    public static String validateVersion(String version) {
        check(version, "model version");
        if (!VERSION.matcher(version).matches()) {
            throw new IllegalArgumentException("invalid model version '" + printable(version)
                    + "': use letters, digits, '.', '_', '+' and '-', starting with a letter or digit");
        }
        return version;
    }

    private static void check(String s, String what) {
        if (s.contains("..")) {
            throw new IllegalArgumentException("invalid " + what + " '" + printable(s) + "': must not contain '..'");
        }
        if (s.indexOf('/') >= 0 || s.indexOf('\\') >= 0) {
            throw new IllegalArgumentException("invalid " + what + " '" + printable(s) + "': must not contain a path separator");
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                throw new IllegalArgumentException("invalid " + what + " '" + printable(s) + "': contains a control character");
            }
        }
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().forEach(c -> {
            if (Character.isISOControl(c)) {
                b.append(String.format("\\u%04x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }

    /** @return the version when one is pinned */
    public Optional<String> pinnedVersion() {
        return Optional.ofNullable(version);
    }

    /** @return {@code name@version} or {@code name} */
    @Override
    public String toString() {
        return version == null ? name : name + "@" + version;
    }
}
