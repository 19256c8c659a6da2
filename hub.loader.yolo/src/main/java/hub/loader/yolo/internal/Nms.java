package hub.loader.yolo.internal;

import hub.api.task.Detection;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Class-aware greedy non-maximum suppression. */
final class Nms {
    private Nms() {
    }

    static List<Detection> apply(List<Detection> candidates, float iouThreshold, int max) {
        List<Detection> sorted = new ArrayList<>(candidates);
        sorted.sort(Comparator.comparingDouble(Detection::score).reversed());
        List<Detection> kept = new ArrayList<>();
        boolean[] removed = new boolean[sorted.size()];
        for (int i = 0; i < sorted.size() && kept.size() < max; i++) {
            if (removed[i]) {
                continue;
            }
            Detection d = sorted.get(i);
            kept.add(d);
            for (int j = i + 1; j < sorted.size(); j++) {
                Detection o = sorted.get(j);
                if (!removed[j] && o.classId() == d.classId() && d.box().iou(o.box()) > iouThreshold) {
                    removed[j] = true;
                }
            }
        }
        return kept;
    }
}
