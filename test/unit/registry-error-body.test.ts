import { describe, expect, it } from 'vitest';
import { parseErrorBody } from '../../electron/core/registry/error-body';

/**
 * What of a registry's error answer may reach a message: the OCI distribution error JSON, parsed
 * and bounded, and nothing else. A registry address is typed by whoever uses the app, so an
 * echoed body would let them read any page the laptop reaches.
 */
describe('registry error bodies', () => {
  it('keeps the codes and messages of OCI error JSON, and a digest-shaped detail', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    const body = parseErrorBody(
      Buffer.from(
        JSON.stringify({
          errors: [
            { code: 'MANIFEST_BLOB_UNKNOWN', message: 'blob unknown to registry', detail: digest },
            { code: 'DENIED', message: 'requested access to the resource is denied' },
          ],
        }),
      ),
    );
    expect(body.codes).toEqual(['MANIFEST_BLOB_UNKNOWN', 'DENIED']);
    expect(body.text).toBe(
      `blob unknown to registry: ${digest} (MANIFEST_BLOB_UNKNOWN); requested access to the resource is denied (DENIED)`,
    );
  });

  it('never echoes a body that is not OCI error JSON: HTML, text, other JSON', () => {
    for (const raw of [
      '<html><body><h1>Router admin</h1><p>password: hunter2</p></body></html>',
      'root:x:0:0:root:/root:/bin/bash',
      '{"instance-id":"i-0123","secret":"hunter2"}',
      '{"errors":"hunter2"}',
    ]) {
      const body = parseErrorBody(Buffer.from(raw));
      expect(body).toEqual({ codes: [], text: '', httpsServer: false });
    }
  });

  it('keeps no detail but a digest, no code that is not a code, no control characters', () => {
    const body = parseErrorBody(
      Buffer.from(
        JSON.stringify({
          errors: [
            {
              code: 'not a code <script>',
              message: 'line one\n\u001b[31mline two',
              detail: { secret: 'hunter2' },
            },
            { code: 'UNKNOWN', message: 'x', detail: 'hunter2 is the password' },
          ],
        }),
      ),
    );
    expect(body.codes).toEqual(['UNKNOWN']);
    expect(body.text).toBe('line one [31mline two; x (UNKNOWN)');
    expect(body.text).not.toContain('hunter2');
  });

  it('bounds what it keeps: a few errors, short messages', () => {
    const body = parseErrorBody(
      Buffer.from(
        JSON.stringify({
          errors: Array.from({ length: 50 }, (_, i) => ({
            code: `CODE_${i}`,
            message: 'm'.repeat(10_000),
          })),
        }),
      ),
    );
    expect(body.codes).toHaveLength(5);
    expect(body.text.length).toBeLessThanOrEqual(301);
  });

  it('recognises Go’s answer to plain HTTP on its HTTPS port without echoing it', () => {
    const body = parseErrorBody(Buffer.from('Client sent an HTTP request to an HTTPS server.\n'));
    expect(body).toEqual({ codes: [], text: '', httpsServer: true });
  });
});
