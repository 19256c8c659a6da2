package hub.api.task;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/** Optical character recognition. */
@ConsumerType
public interface TextReader {
    /**
     * @param images encoded images
     * @return per image, its lines in reading order
     */
    List<ImageResult<List<TextLine>>> read(List<ImageInput> images);
}
