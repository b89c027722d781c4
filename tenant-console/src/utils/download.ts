/** Hand a Blob to the browser as a file download (an export, a template). */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Give the browser a moment to start reading the object URL before it is revoked.
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * Save a file the server sends as an attachment (a signed address answered with
 * `Content-Disposition: attachment`): the browser downloads it and this page stays where it is.
 */
export function downloadFrom(url: string): void {
  const link = document.createElement('a');
  link.href = url;
  link.rel = 'noopener noreferrer';
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
}
