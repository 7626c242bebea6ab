import { once } from 'node:events';

/** Raised when the reader of stdout went away (`pc ... | head`): the run stops quietly. */
export class BrokenPipeError extends Error {
  override readonly name = 'BrokenPipeError';
}

/** A writable the sink can write to (stdout, stderr, a file stream, a test double). */
export type WritableLike = NodeJS.WritableStream;

const flushThreshold = 64 * 1024;

/**
 * Buffered text output with backpressure: text is gathered into chunks of about 64 KiB, and a
 * write that the stream refuses waits for `drain`, so a fast producer never piles up memory.
 */
export class TextSink {
  private readonly chunks: string[] = [];
  private buffered = 0;
  private failure: Error | undefined;
  private readonly onError = (error: NodeJS.ErrnoException): void => {
    this.failure = error.code === 'EPIPE' ? new BrokenPipeError('output closed') : error;
  };

  constructor(private readonly stream: WritableLike) {
    stream.on('error', this.onError);
  }

  /** Appends text; the promise, when one is returned, resolves once the stream can take more. */
  write(text: string): Promise<void> | undefined {
    if (this.failure !== undefined) throw this.failure;
    this.chunks.push(text);
    this.buffered += text.length;
    return this.buffered >= flushThreshold ? this.flush() : undefined;
  }

  /** Writes out the buffer, waiting for `drain` when the stream asks for it. */
  async flush(): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    if (this.buffered === 0) return;
    const text = this.chunks.join('');
    this.chunks.length = 0;
    this.buffered = 0;
    if (!this.stream.write(text)) await this.waitForDrain();
    if (this.failure !== undefined) throw this.failure;
  }

  private async waitForDrain(): Promise<void> {
    const controller = new AbortController();
    try {
      // `once` rejects when the stream emits 'error' while waiting (EPIPE when the reader left).
      await Promise.race([
        once(this.stream, 'drain', { signal: controller.signal }),
        once(this.stream, 'close', { signal: controller.signal }),
      ]);
    } catch (error) {
      if ((error as Error).name === 'AbortError') return;
      this.onError(error as NodeJS.ErrnoException);
    } finally {
      controller.abort();
    }
  }

  /**
   * Flushes. The stream stays open (stdout is not ended) and the error listener stays attached,
   * so that a late EPIPE cannot crash the process.
   */
  async close(): Promise<void> {
    await this.flush();
  }
}
