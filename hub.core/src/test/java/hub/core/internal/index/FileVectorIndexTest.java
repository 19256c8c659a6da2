package hub.core.internal.index;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import hub.api.embedding.IndexEntry;
import hub.api.embedding.IndexMatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class FileVectorIndexTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void nearestByCosineSurvivesARestartAndRemovalsStick() throws Exception {
        Path dir = tmp.newFolder("index").toPath();
        FileVectorIndex index = FileVectorIndex.in(dir);
        index.add("photos", new IndexEntry("east", "m@1", new float[] {1, 0, 0}, "east.jpg"));
        index.add("photos", new IndexEntry("north", "m@1", new float[] {0, 5, 0}, null));
        index.add("photos", new IndexEntry("north-east", "m@1", new float[] {1, 1, 0}, null));
        index.add("other", new IndexEntry("x", "m@1", new float[] {1, 2}, null));
        List<IndexMatch> m = index.search("photos", new float[] {2, 0.2f, 0}, 2);
        assertEquals(List.of("east", "north-east"), m.stream().map(IndexMatch::id).toList());
        assertEquals("east.jpg", m.get(0).source());
        assertTrue(m.get(0).score() > 0.99f);

        FileVectorIndex again = FileVectorIndex.in(dir);
        assertEquals(List.of("other", "photos"), again.collections());
        assertEquals(3, again.entries("photos").size());
        assertEquals("north", again.search("photos", new float[] {0, 1, 0}, 1).get(0).id());
        assertTrue(again.remove("photos", "north"));
        assertFalse(again.remove("photos", "north"));
        assertEquals(2, FileVectorIndex.in(dir).entries("photos").size());
        assertTrue(again.drop("other"));
        assertEquals(List.of("photos"), FileVectorIndex.in(dir).collections());
    }

    @Test
    public void badInputIsRefusedByNameAndNothingStoredIsLost() throws Exception {
        Path dir = tmp.newFolder("index").toPath();
        FileVectorIndex index = FileVectorIndex.in(dir);
        index.add("faces", new IndexEntry("ann", "sface@1", new float[] {1, 0, 0}, null));
        byte[] before = Files.readAllBytes(dir.resolve("faces.vec"));
        IllegalArgumentException dim = assertThrows(IllegalArgumentException.class,
                () -> index.add("faces", new IndexEntry("bob", "other@1", new float[] {1, 0}, null)));
        assertTrue(dim.getMessage(), dim.getMessage().contains("3-d") && dim.getMessage().contains("2-d"));
        assertThrows(IllegalArgumentException.class, () -> index.search("faces", new float[] {1, 0}, 1));
        IllegalArgumentException name = assertThrows(IllegalArgumentException.class,
                () -> index.add("../evil", new IndexEntry("x", null, new float[] {1}, null)));
        assertTrue(name.getMessage(), name.getMessage().contains("bad collection name"));
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> index.search("nothing", new float[] {1}, 1));
        assertTrue(none.getMessage(), none.getMessage().contains("no collection 'nothing'"));
        assertEquals(List.of("faces"), index.collections());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(dir.resolve("faces.vec"))));

        Files.write(dir.resolve("broken.vec"), new byte[] {1, 2, 3});
        IllegalStateException damaged = assertThrows(IllegalStateException.class,
                () -> FileVectorIndex.in(dir).entries("broken"));
        assertTrue(damaged.getMessage(), damaged.getMessage().contains("broken.vec"));
        assertEquals(3, Files.size(dir.resolve("broken.vec")));
    }
}
