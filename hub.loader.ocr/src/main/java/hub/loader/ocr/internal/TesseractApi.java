package hub.loader.ocr.internal;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;

/** The part of Tesseract's C API ({@code tesseract/capi.h}) the engine uses, bound through JNA. */
interface TesseractApi extends Library {
    /** Page iterator level of a text line. */
    int RIL_TEXTLINE = 2;
    /** Fully automatic page segmentation, no orientation detection. */
    int PSM_AUTO = 3;

    String TessVersion();

    Pointer TessBaseAPICreate();

    int TessBaseAPIInit3(Pointer handle, String datapath, String language);

    int TessBaseAPISetVariable(Pointer handle, String name, String value);

    void TessBaseAPISetPageSegMode(Pointer handle, int mode);

    void TessBaseAPISetImage(Pointer handle, byte[] data, int width, int height, int bytesPerPixel, int bytesPerLine);

    void TessBaseAPISetSourceResolution(Pointer handle, int ppi);

    int TessBaseAPIRecognize(Pointer handle, Pointer monitor);

    Pointer TessBaseAPIGetIterator(Pointer handle);

    Pointer TessResultIteratorGetPageIterator(Pointer iterator);

    Pointer TessResultIteratorGetUTF8Text(Pointer iterator, int level);

    float TessResultIteratorConfidence(Pointer iterator, int level);

    int TessPageIteratorBoundingBox(Pointer pageIterator, int level, IntByReference left, IntByReference top,
            IntByReference right, IntByReference bottom);

    int TessResultIteratorNext(Pointer iterator, int level);

    void TessResultIteratorDelete(Pointer iterator);

    void TessDeleteText(Pointer text);

    void TessBaseAPIClear(Pointer handle);

    void TessBaseAPIEnd(Pointer handle);

    void TessBaseAPIDelete(Pointer handle);
}
