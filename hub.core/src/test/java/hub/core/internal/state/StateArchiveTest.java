package hub.core.internal.state;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import hub.api.state.StateKind;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Import refuses what the hubs could not read, before it writes anything. */
public class StateArchiveTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static ByteArrayInputStream export(String documents) {
        return new ByteArrayInputStream(("{\"format\": \"vision-hub-state\", \"version\": 1, \"documents\": {"
                + documents + "}}").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    public void aDocumentTheHubsCouldNotReadIsRefusedAndNothingIsWritten() {
        Path home = tmp.getRoot().toPath();
        FileStateStore store = new FileStateStore(home.resolve("catalog"), home.resolve("state"));
        StateArchive archive = new StateArchive(store);
        String goodAlias = "\"ALIASES\": {\"detector\": {\"model\": \"m@1\", \"device\": \"cpu\"}}";
        // a key record without its hash would break key checks on every hub of a fleet
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> archive.importState(export(
                goodAlias + ", \"KEYS\": {\"k1\": {\"id\": \"k1\", \"tier\": \"lite\"}}")));
        assertTrue(e.getMessage(), e.getMessage().startsWith("documents.KEYS.k1: not the record of key k1"));
        // a catalog entry the catalog would skip
        e = assertThrows(IllegalArgumentException.class, () -> archive.importState(export(
                "\"CATALOG\": {\"a@1\": {\"name\": \"a\", \"version\": \"1\"}}")));
        assertTrue(e.getMessage(), e.getMessage().startsWith("documents.CATALOG.a@1: "));
        assertEquals("nothing was written, the good alias neither", Map.of(), store.documents(StateKind.ALIASES));
        assertEquals(Map.of(), store.documents(StateKind.CATALOG));
        // records must be lists
        e = assertThrows(IllegalArgumentException.class, () -> archive.importState(new ByteArrayInputStream(
                "{\"format\": \"vision-hub-state\", \"version\": 1, \"records\": {\"DOWNLOADS\": {}}}".getBytes(
                        StandardCharsets.UTF_8))));
        assertEquals("records.DOWNLOADS is not a list", e.getMessage());
    }
}
