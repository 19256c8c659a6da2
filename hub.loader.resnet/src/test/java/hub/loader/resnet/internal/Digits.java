package hub.loader.resnet.internal;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/** Renders a digit the way MNIST prepared its images: white on black, fitted into 20 x 20, centred by mass in 28 x 28. */
final class Digits {
    private Digits() {
    }

    static byte[] png(int digit, String font) throws IOException {
        BufferedImage big = new BufferedImage(112, 112, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = big.createGraphics();
        g.setColor(Color.BLACK);
        g.fillRect(0, 0, 112, 112);
        g.setColor(Color.WHITE);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(font, Font.BOLD, 90));
        g.drawString(String.valueOf(digit), 25, 95);
        g.dispose();
        int x0 = 112;
        int y0 = 112;
        int x1 = 0;
        int y1 = 0;
        for (int y = 0; y < 112; y++) {
            for (int x = 0; x < 112; x++) {
                if ((big.getRGB(x, y) & 0xff) > 40) {
                    x0 = Math.min(x0, x);
                    y0 = Math.min(y0, y);
                    x1 = Math.max(x1, x);
                    y1 = Math.max(y1, y);
                }
            }
        }
        int w = x1 - x0 + 1;
        int h = y1 - y0 + 1;
        float s = 20f / Math.max(w, h);
        int sw = Math.max(1, Math.round(w * s));
        int sh = Math.max(1, Math.round(h * s));
        BufferedImage small = new BufferedImage(sw, sh, BufferedImage.TYPE_INT_RGB);
        Graphics2D gs = small.createGraphics();
        gs.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        gs.drawImage(big.getSubimage(x0, y0, w, h), 0, 0, sw, sh, null);
        gs.dispose();
        double mx = 0;
        double my = 0;
        double mass = 0;
        for (int y = 0; y < sh; y++) {
            for (int x = 0; x < sw; x++) {
                int v = small.getRGB(x, y) & 0xff;
                mx += x * v;
                my += y * v;
                mass += v;
            }
        }
        int ox = (int) Math.round(14 - mx / mass);
        int oy = (int) Math.round(14 - my / mass);
        BufferedImage out = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
        Graphics2D go = out.createGraphics();
        go.setColor(Color.BLACK);
        go.fillRect(0, 0, 28, 28);
        go.drawImage(small, ox, oy, null);
        go.dispose();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(out, "png", bytes);
        return bytes.toByteArray();
    }
}
