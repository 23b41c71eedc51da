import sharp from 'sharp';

/** Width of the gallery's images: readable on a page, a fraction of the capture's bytes. */
export const GALLERY_WIDTH_PX = 1200;

/**
 * A capture made small enough to keep in git: scaled to GALLERY_WIDTH_PX and written as a palette PNG (libimagequant,
 * as pngquant does): dashboards are flat colours and text, which a 256-colour palette keeps legible.
 */
export async function writeGalleryPng(capturePng: string, galleryPng: string): Promise<number> {
  const info = await sharp(capturePng)
    .resize({ width: GALLERY_WIDTH_PX, withoutEnlargement: true })
    .png({ palette: true, quality: 80, effort: 10, compressionLevel: 9 })
    .toFile(galleryPng);
  return info.size;
}
