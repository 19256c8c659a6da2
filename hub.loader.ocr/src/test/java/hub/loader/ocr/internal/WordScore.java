package hub.loader.ocr.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * How well a page was read: the reference's words found in order (a word-level longest common subsequence, so words
 * misread, glued together or out of order count as missed) and the spaces between words kept (a character alignment:
 * a space of the reference counts as kept where it lines up with a space of what was read).
 *
 * @param words the reference's words
 * @param wordsRight those read right, in order
 * @param spaces the spaces between words inside the reference's lines
 * @param spacesKept those kept
 */
record WordScore(int words, int wordsRight, int spaces, int spacesKept) {
    static final WordScore NONE = new WordScore(0, 0, 0, 0);

    static WordScore of(List<String> reference, List<String> read) {
        List<String> ref = words(reference);
        List<String> got = words(read);
        int[][] lcs = new int[ref.size() + 1][got.size() + 1];
        for (int i = ref.size() - 1; i >= 0; i--) {
            for (int j = got.size() - 1; j >= 0; j--) {
                lcs[i][j] = ref.get(i).equals(got.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        String a = String.join("\n", reference);
        String b = String.join("\n", read);
        // edit distance with a backtrace: which characters of a line up with equal characters of b
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int sub = d[i - 1][j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                d[i][j] = Math.min(sub, Math.min(d[i - 1][j], d[i][j - 1]) + 1);
            }
        }
        int spaces = 0;
        for (int i = 0; i < a.length(); i++) {
            spaces += a.charAt(i) == ' ' ? 1 : 0;
        }
        int kept = 0;
        int i = a.length();
        int j = b.length();
        while (i > 0 && j > 0) {
            boolean same = a.charAt(i - 1) == b.charAt(j - 1);
            if (d[i][j] == d[i - 1][j - 1] + (same ? 0 : 1)) {
                if (same && a.charAt(i - 1) == ' ') {
                    kept++;
                }
                i--;
                j--;
            } else if (d[i][j] == d[i - 1][j] + 1) {
                i--;
            } else {
                j--;
            }
        }
        return new WordScore(ref.size(), lcs[0][0], spaces, kept);
    }

    private static List<String> words(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            for (String w : l.strip().split("\\s+")) {
                if (!w.isEmpty()) {
                    out.add(w);
                }
            }
        }
        return out;
    }

    WordScore plus(WordScore o) {
        return new WordScore(words + o.words, wordsRight + o.wordsRight, spaces + o.spaces, spacesKept + o.spacesKept);
    }

    double wordRate() {
        return words == 0 ? 1 : (double) wordsRight / words;
    }

    double spaceRate() {
        return spaces == 0 ? 1 : (double) spacesKept / spaces;
    }

    @Override
    public String toString() {
        return String.format("words %d/%d (%.1f %%), spaces %d/%d (%.1f %%)", wordsRight, words, 100 * wordRate(),
                spacesKept, spaces, 100 * spaceRate());
    }
}
