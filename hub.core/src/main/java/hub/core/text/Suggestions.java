package hub.core.text;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/** "Did you mean": the candidates closest to a mistyped word, by edit distance (a swapped pair counts as one). */
public final class Suggestions {
    private Suggestions() {
    }

    /**
     * @param word what was typed
     * @param candidates what exists
     * @return up to three candidates at the smallest distance within reach (about a third of the word), or a
     *         candidate the word starts, none when nothing is close
     */
    public static List<String> closest(String word, Collection<String> candidates) {
        String w = word.toLowerCase(Locale.ROOT);
        int best = Integer.MAX_VALUE;
        TreeSet<String> out = new TreeSet<>();
        for (String c : candidates) {
            String lc = c.toLowerCase(Locale.ROOT);
            int d = distance(w, lc);
            int limit = Math.max(1, Math.min(3, Math.max(w.length(), lc.length()) / 3));
            if (d > limit && !(w.length() >= 3 && lc.startsWith(w))) {
                continue;
            }
            if (d < best) {
                best = d;
                out.clear();
            }
            if (d == best) {
                out.add(c);
            }
        }
        return out.stream().limit(3).toList();
    }

    /**
     * @param word what was typed
     * @param candidates what exists
     * @return {@code " (did you mean a or b?)"}, or empty
     */
    public static String hint(String word, Collection<String> candidates) {
        List<String> close = closest(word, candidates);
        return close.isEmpty() ? "" : " (did you mean " + String.join(" or ", close) + "?)";
    }

    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
