import { randomUUID } from 'node:crypto';
import http, { STATUS_CODES, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ErrorBody, ErrorCode } from '@shopfleet/contracts';

/**
 * The API's HTTP server. Node answers some requests itself, before Express sees them, with an empty
 * body: headers over its limit (431), a request it cannot parse (400), one that took too long to arrive
 * (408), an Expect it does not know (417), an HTTP/1.1 request without Host (400). Here each of those
 * gets the one error shape, like every other 4xx.
 */
export function createHttpServer(app: RequestListener): Server {
  // Node's own Host check answers with an empty 400; the same refusal is made below, in the shape.
  const server = http.createServer({ requireHostHeader: false }, (req, res) => {
    if (req.httpVersion === '1.1' && req.headers.host === undefined) {
      sendError(res, 400, 'MALFORMED_REQUEST', 'An HTTP/1.1 request needs a Host header');
      return;
    }
    app(req, res);
  });
  server.on('clientError', answerClientError);
  server.on('checkExpectation', (_req: http.IncomingMessage, res: ServerResponse) => {
    sendError(res, 417, 'MALFORMED_REQUEST', 'Only "Expect: 100-continue" is understood');
  });
  return server;
}

/** What Node would answer for each parse error (its `socketOnError`), with our code and message. */
function refusalFor(code: string | undefined): { status: number; code: ErrorCode; message: string } {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, code: 'HEADERS_TOO_LARGE', message: 'The request line and headers are too large' };
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return { status: 413, code: 'PAYLOAD_TOO_LARGE', message: 'The chunk extensions are too large' };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, code: 'REQUEST_TIMEOUT', message: 'The request did not arrive in time' };
    default:
      return { status: 400, code: 'MALFORMED_REQUEST', message: 'The request is not valid HTTP' };
  }
}

function answerClientError(err: NodeJS.ErrnoException, socket: Duplex & { bytesWritten?: number }): void {
  // A connection reset, or one already answered, has nobody left to tell.
  if (err.code === 'ECONNRESET' || !socket.writable || (socket.bytesWritten ?? 0) > 0) {
    socket.destroy();
    return;
  }
  const refusal = refusalFor(err.code);
  const requestId = randomUUID();
  const body = JSON.stringify({
    error: { code: refusal.code, message: refusal.message, requestId },
  } satisfies ErrorBody);
  socket.end(
    `HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status]}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      `X-Request-Id: ${requestId}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}

function sendError(res: ServerResponse, status: number, code: ErrorCode, message: string): void {
  const requestId = randomUUID();
  const body = JSON.stringify({ error: { code, message, requestId } } satisfies ErrorBody);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'X-Request-Id': requestId,
    Connection: 'close',
  });
  res.end(body);
}
