/**
 * The tray icon, drawn as a bitmap (nativeImage.createFromBitmap: B, G, R, A bytes per pixel), so
 * no image file has to ship: a grey ring while Hark is not listening, a filled red disc while it
 * listens. 32 x 32 pixels at scale factor 2 (16 points), edges anti-aliased by pixel coverage.
 */
export const TRAY_ICON_PIXELS = 32;
export const TRAY_ICON_SCALE = 2;

const IDLE = { r: 0x9a, g: 0xa0, b: 0xa6 };
const LISTENING = { r: 0xe5, g: 0x48, b: 0x4d };

/** The icon's pixels for the listening state: TRAY_ICON_PIXELS² pixels, B G R A each. */
export function trayIconBitmap(listening: boolean): Buffer {
  const n = TRAY_ICON_PIXELS;
  const out = Buffer.alloc(n * n * 4);
  const centre = n / 2;
  const outer = n / 2 - 1;
  // The ring's inner radius; the listening disc has none.
  const inner = listening ? 0 : outer - 4;
  const colour = listening ? LISTENING : IDLE;
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      const d = Math.hypot(x + 0.5 - centre, y + 0.5 - centre);
      // Coverage of a one-pixel-wide edge on both radii.
      const alpha = Math.max(0, Math.min(1, outer - d + 0.5)) * (inner === 0 ? 1 : Math.max(0, Math.min(1, d - inner + 0.5)));
      const i = (y * n + x) * 4;
      out[i] = colour.b;
      out[i + 1] = colour.g;
      out[i + 2] = colour.r;
      out[i + 3] = Math.round(alpha * 255);
    }
  }
  return out;
}
