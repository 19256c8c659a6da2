package hub.loader.ocr.internal;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import hub.api.Device;
import hub.api.spi.LoadedModel;
import hub.api.task.ImageInput;
import hub.api.task.ImageResult;
import hub.api.task.Point;
import hub.api.task.TextLine;
import hub.api.task.TextReader;
import hub.imaging.ImageDecoder;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An open Tesseract engine (LSTM, one language): automatic page segmentation, text lines in Tesseract's reading
 * order with their confidence and box. One engine instance is not thread-safe, so reads are serialised.
 */
final class TesseractModel implements LoadedModel, TextReader {
    private final TesseractApi api;
    private final Pointer handle;
    private final int dpi;
    private boolean closed;

    TesseractModel(TesseractApi api, Pointer handle, int dpi) {
        this.api = api;
        this.handle = handle;
        this.dpi = dpi;
    }

    @Override
    public Device device() {
        return Device.CPU;
    }

    @Override
    public List<ImageResult<List<TextLine>>> read(List<ImageInput> images) {
        List<ImageResult<List<TextLine>>> out = new ArrayList<>();
        for (ImageInput image : images) {
            try {
                out.add(ImageResult.ok(image.name(), read(ImageDecoder.decode(image))));
            } catch (IllegalArgumentException e) {
                out.add(ImageResult.failed(image.name(), e.getMessage()));
            }
        }
        return out;
    }

    synchronized List<TextLine> read(BufferedImage image) {
        if (closed) {
            throw new IllegalStateException("the Tesseract engine is closed");
        }
        int w = image.getWidth();
        int h = image.getHeight();
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        byte[] rgb = new byte[w * h * 3];
        for (int i = 0; i < argb.length; i++) {
            int p = argb[i];
            int alpha = p >>> 24;
            // transparent pixels read as white paper, not black
            int r = ((p >> 16) & 0xff) * alpha / 255 + 255 - alpha;
            int g = ((p >> 8) & 0xff) * alpha / 255 + 255 - alpha;
            int b = (p & 0xff) * alpha / 255 + 255 - alpha;
            rgb[3 * i] = (byte) r;
            rgb[3 * i + 1] = (byte) g;
            rgb[3 * i + 2] = (byte) b;
        }
        api.TessBaseAPISetImage(handle, rgb, w, h, 3, w * 3);
        api.TessBaseAPISetSourceResolution(handle, dpi);
        List<TextLine> lines = new ArrayList<>();
        try {
            if (api.TessBaseAPIRecognize(handle, null) != 0) {
                throw new IllegalArgumentException("Tesseract could not recognise this image");
            }
            Pointer it = api.TessBaseAPIGetIterator(handle);
            if (it == null) {
                return lines; // nothing found
            }
            try {
                Pointer page = api.TessResultIteratorGetPageIterator(it);
                IntByReference left = new IntByReference();
                IntByReference top = new IntByReference();
                IntByReference right = new IntByReference();
                IntByReference bottom = new IntByReference();
                do {
                    Pointer text = api.TessResultIteratorGetUTF8Text(it, TesseractApi.RIL_TEXTLINE);
                    if (text == null) {
                        continue;
                    }
                    String s;
                    try {
                        s = text.getString(0, StandardCharsets.UTF_8.name()).strip();
                    } finally {
                        api.TessDeleteText(text);
                    }
                    if (s.isEmpty()
                            || api.TessPageIteratorBoundingBox(page, TesseractApi.RIL_TEXTLINE, left, top, right, bottom) == 0) {
                        continue;
                    }
                    float x0 = left.getValue();
                    float y0 = top.getValue();
                    float x1 = right.getValue();
                    float y1 = bottom.getValue();
                    float confidence = api.TessResultIteratorConfidence(it, TesseractApi.RIL_TEXTLINE) / 100f;
                    lines.add(new TextLine(s, Math.max(0, Math.min(1, confidence)),
                            List.of(new Point(x0, y0), new Point(x1, y0), new Point(x1, y1), new Point(x0, y1))));
                } while (api.TessResultIteratorNext(it, TesseractApi.RIL_TEXTLINE) != 0);
            } finally {
                api.TessResultIteratorDelete(it);
            }
        } finally {
            api.TessBaseAPIClear(handle);
        }
        return lines;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            api.TessBaseAPIEnd(handle);
            api.TessBaseAPIDelete(handle);
        }
    }
}
