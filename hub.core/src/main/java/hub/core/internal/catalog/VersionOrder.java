package hub.core.internal.catalog;

import java.util.Comparator;

/**
 * Orders version strings the way people read them: numeric runs compare as numbers ({@code 8.10 > 8.9}), other runs
 * as text, and a pre-release suffix sorts before the release ({@code 1.0-rc1 < 1.0}).
 */
public final class VersionOrder implements Comparator<String> {
    /** The shared comparator. */
    public static final VersionOrder INSTANCE = new VersionOrder();

    private VersionOrder() {
    }

    @Override
    public int compare(String a, String b) {
        String[] x = a.split("(?<=\\d)(?=\\D)|(?<=\\D)(?=\\d)|[._+-]");
        String[] y = b.split("(?<=\\d)(?=\\D)|(?<=\\D)(?=\\d)|[._+-]");
        int n = Math.min(x.length, y.length);
        for (int i = 0; i < n; i++) {
            int c = part(x[i], y[i]);
            if (c != 0) {
                return c;
            }
        }
        if (x.length != y.length) {
            // the longer one continues with a qualifier (pre-release: older) or with more numbers (newer)
            String[] longer = x.length > y.length ? x : y;
            boolean numeric = longer[n].chars().allMatch(Character::isDigit);
            int sign = x.length > y.length ? 1 : -1;
            return numeric ? sign : -sign;
        }
        return a.compareTo(b);
    }

    private static int part(String p, String q) {
        boolean pn = !p.isEmpty() && p.chars().allMatch(Character::isDigit);
        boolean qn = !q.isEmpty() && q.chars().allMatch(Character::isDigit);
        if (pn && qn) {
            return new java.math.BigInteger(p).compareTo(new java.math.BigInteger(q));
        }
        if (pn != qn) {
            return pn ? 1 : -1;
        }
        return p.compareToIgnoreCase(q);
    }
}
