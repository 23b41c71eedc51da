import { gunzipSync } from 'node:zlib';

/**
 * gRPC's length-prefixed messages (a compressed flag byte, a 4-byte big-endian length, the message), as an HTTP/2
 * request body carries them. Compressed messages are gzip (the OTLP exporters' default `grpc-encoding`).
 */
export function grpcMessages(body: Buffer, encoding: string | undefined): Buffer[] {
  const messages: Buffer[] = [];
  let at = 0;
  while (at < body.length) {
    if (at + 5 > body.length) throw new Error('gRPC: truncated message prefix');
    const compressed = body[at] === 1;
    const length = body.readUInt32BE(at + 1);
    const message = body.subarray(at + 5, at + 5 + length);
    if (message.length !== length) throw new Error('gRPC: truncated message');
    if (compressed && encoding !== 'gzip') throw new Error(`gRPC: unsupported grpc-encoding ${encoding ?? '(none)'}`);
    messages.push(compressed ? gunzipSync(message) : message);
    at += 5 + length;
  }
  return messages;
}

/** An empty message (the OTLP Export responses with nothing partial to report), uncompressed. */
export const EMPTY_GRPC_MESSAGE = Buffer.from([0, 0, 0, 0, 0]);
