package hub.core.internal.store;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import hub.api.Checksum;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class Sha256ChecksumServiceTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void knownVectorsForStreamsAndFiles() throws Exception {
        Sha256ChecksumService s = new Sha256ChecksumService();
        Checksum abc = s.checksum(new ByteArrayInputStream("abc".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", abc.sha256());
        assertEquals(3, abc.size());
        Path empty = tmp.newFile().toPath();
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", s.checksum(empty).sha256());
        Path big = tmp.newFile().toPath();
        byte[] data = new byte[1 << 20];
        Files.write(big, data);
        assertEquals(s.checksum(new ByteArrayInputStream(data)), s.checksum(big));
        assertTrue(s.matches(empty, "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"));
    }
}
