const IMG_TAG = /<img\b([^>]*?)(\/?)>/gi;
const STYLE_ATTR = /\sstyle\s*=\s*(["'])(.*?)\1/i;
const FIT = 'max-width:100%;height:auto;display:block;';

/**
 * Makes a (server-sanitized) description fit the screen: `<rich-text>` content cannot be reached by
 * page styles on the mini-program, so images get an inline max-width.
 */
export function fitRichTextImages(html: string): string {
  return html.replace(IMG_TAG, (_tag, attrs: string, selfClosing: string) => {
    const withStyle = STYLE_ATTR.test(attrs)
      ? attrs.replace(STYLE_ATTR, (_m, quote: string, style: string) => ` style=${quote}${FIT}${style}${quote}`)
      : `${attrs} style="${FIT}"`;
    return `<img${withStyle}${selfClosing}>`;
  });
}
