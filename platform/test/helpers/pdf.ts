import { execFile } from 'node:child_process';

/**
 * The text and page count of a PDF, read by pdf-parse (Mozilla's PDF.js) in a child Node process: PDF.js loads its
 * worker with a dynamic import, which jest's module sandbox does not allow.
 */
export function pdfText(bytes: Buffer): Promise<{ text: string; pages: number }> {
  const script = `
    import { PDFParse } from 'pdf-parse';
    const chunks = [];
    for await (const c of process.stdin) chunks.push(c);
    const parsed = await new PDFParse({ data: new Uint8Array(Buffer.concat(chunks)) }).getText();
    process.stdout.write(JSON.stringify({ text: parsed.text, pages: parsed.pages.length }));
  `;
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      ['--input-type=module', '-e', script],
      { cwd: __dirname, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout) => (err ? reject(err) : resolve(JSON.parse(stdout) as { text: string; pages: number })),
    );
    child.stdin!.end(bytes);
  });
}
