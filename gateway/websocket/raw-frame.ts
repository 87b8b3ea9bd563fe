/**
 * The `next` frame of one subscription written to its socket as one buffer: the websocket frame header
 * and the graphql-ws message built here, below `ws`'s per-message framing. A server's frames are not
 * masked, so a frame is its header (FIN, text opcode, length) followed by the message bytes; `ws`'s
 * `send` made per socket and event an options object, a header buffer, a two-element list and a corked
 * two-chunk `writev` through the stream (the bench profile's `writev` and GC, issue 21).
 *
 * Only where that is exactly what `ws` would write: no extension negotiated (permessage-deflate
 * compresses and sets RSV1), and `ws`'s sender idle — nothing queued behind a compression or a blob, no
 * fragmented message open — so the frame cannot overtake one `ws` holds. Otherwise `ws` sends it.
 */
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';

/** What of `ws`'s private sender the check reads (ws 8: `lib/sender.js`; `_state` 0 is DEFAULT). */
interface WsSender {
  _state: number;
  _queue: unknown[];
  _firstFragment: boolean;
}

/** `ws`'s private parts of a server-side socket: its TCP (or TLS) socket and its sender. */
interface WsInternals {
  _socket?: Socket;
  _sender?: WsSender;
}

/** FIN and the text opcode: one whole text frame (graphql-ws messages are JSON text). */
const FIN_TEXT = 0x81;

/** A socket's raw writer, or null when `ws` must frame every message itself (an extension negotiated, internals not as expected). */
export interface RawWriter {
  /**
   * Writes `head` then `tail` as one text frame when `ws`'s sender is idle and the socket can take it;
   * false (nothing written) when `ws` must send it instead.
   */
  write(head: Buffer, tail: Buffer, written: (err?: Error | null) => void): boolean;
  /** The TCP socket, for `cork`/`uncork` around a batch. */
  readonly tcp: Socket;
}

export function rawWriter(socket: WebSocket): RawWriter | null {
  const { _socket: tcp, _sender: sender } = socket as unknown as WsInternals;
  // permessage-deflate (the only extension ws knows) compresses each message: the bytes differ per socket.
  if (!tcp || !sender || socket.extensions !== '' || typeof sender._state !== 'number' || !Array.isArray(sender._queue)) return null;
  return {
    tcp,
    write(head, tail, written) {
      if (sender._state !== 0 || sender._queue.length > 0 || !sender._firstFragment || !tcp.writable) return false;
      const length = head.length + tail.length;
      const header = length < 126 ? 2 : length < 65_536 ? 4 : 10;
      const frame = Buffer.allocUnsafe(header + length);
      frame[0] = FIN_TEXT;
      if (header === 2) frame[1] = length;
      else if (header === 4) {
        frame[1] = 126;
        frame.writeUInt16BE(length, 2);
      } else {
        frame[1] = 127;
        frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
        frame.writeUInt32BE(length >>> 0, 6);
      }
      head.copy(frame, header);
      tail.copy(frame, header + head.length);
      tcp.write(frame, written);
      return true;
    },
  };
}
