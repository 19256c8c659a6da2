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
 * Tesseract (LSTM, one language): automatic page segmentation as its command line does by default (PSM 3), text
 * lines in Tesseract's reading order with their confidence and box. One Tesseract instance is not thread-safe, so the
 * model keeps up to {@code instances} of them and runs that many pages at once, each on one thread (OpenMP is held
 * to one thread per call, see {@link TesseractLoader}): the hub parallelises, not Tesseract. The resolution is the
 * one the image file states, else Tesseract estimates it from the text, as its command line does; a {@code dpi}
 * parameter overrides both.
 */
final class TesseractModel implements LoadedModel, TextReader {
    private final TesseractApi api;
    private final java.util.function.Supplier<Pointer> opener;
    private final int instances;
    private final int dpi;
    /** Idle engines. */
    private final java.util.ArrayDeque<Pointer> idle = new java.util.ArrayDeque<>();
    private int open;
    private boolean closed;

    /**
     * @param api the bound library
     * @param first an engine already opened (the load's check that the language loads)
     * @param opener opens another engine like it
     * @param instances how many engines at most
     * @param dpi the resolution to tell Tesseract, or 0 to take the image's or let Tesseract estimate it
     */
    TesseractModel(TesseractApi api, Pointer first, java.util.function.Supplier<Pointer> opener, int instances, int dpi) {
        this.api = api;
        this.opener = opener;
        this.instances = Math.max(1, instances);
        this.dpi = dpi;
        idle.add(first);
        open = 1;
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
                out.add(ImageResult.ok(image.name(), read(ImageDecoder.decode(image),
                        dpi > 0 ? dpi : ImageResolution.dpi(image.data()).orElse(0))));
            } catch (IllegalArgumentException e) {
                out.add(ImageResult.failed(image.name(), e.getMessage()));
            }
        }
        return out;
    }

    /** An idle engine, a new one while fewer than {@code instances} are open, else waits for one. */
    private Pointer take() {
        boolean create;
        synchronized (this) {
            while (true) {
                if (closed) {
                    throw new IllegalStateException("the Tesseract engine is closed");
                }
                if (!idle.isEmpty()) {
                    return idle.pop();
                }
                if (open < instances) {
                    open++;
                    create = true;
                    break;
                }
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for a Tesseract engine", e);
                }
            }
        }
        try {
            return opener.get();
        } catch (RuntimeException | Error e) {
            synchronized (this) {
                open--;
                notifyAll();
            }
            throw e;
        }
    }

    private void give(Pointer handle) {
        boolean end;
        synchronized (this) {
            end = closed;
            if (end) {
                open--;
            } else {
                idle.push(handle);
            }
            notifyAll();
        }
        if (end) {
            end(handle);
        }
    }

    private void end(Pointer handle) {
        api.TessBaseAPIEnd(handle);
        api.TessBaseAPIDelete(handle);
    }

    List<TextLine> read(BufferedImage image, int resolution) {
        Pointer handle = take();
        try {
            return read(handle, image, resolution);
        } finally {
            give(handle);
        }
    }

    private List<TextLine> read(Pointer handle, BufferedImage image, int resolution) {
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
        if (resolution > 0) {
            api.TessBaseAPISetSourceResolution(handle, resolution);
        }
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
    public void close() {
        List<Pointer> ending;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            ending = new ArrayList<>(idle);
            open -= idle.size();
            idle.clear();
            notifyAll();
        }
        // engines in use end when their page is done
        for (Pointer p : ending) {
            end(p);
        }
    }
}
