/**
 * The value of a `<switch>` change event. Vue's template types take `switch` for the SVG element and
 * type its event as a DOM Event; uni-app's event carries `detail.value`.
 */
export function switchValue(event: Event): boolean {
  const detail = (event as { detail?: { value?: unknown } }).detail;
  return detail?.value === true;
}
