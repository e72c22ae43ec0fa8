import { z } from 'zod';

/** What to import: a picked kit or folder, a registry reference, or the demo kit. */
export const ImportSourceRequest = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('picked'), token: z.string() }),
  z.strictObject({
    kind: z.literal('registry'),
    /** `oci://host[:port]/repo[:tag]` */
    reference: z.string().regex(/^(oci:\/\/)?[^\s/]+\/\S+$/, {
      error: 'write a registry reference as oci://host[:port]/repository[:tag]',
    }),
    plainHttp: z.boolean().optional(),
    /** A picked CA certificate (PEM) to trust. */
    ca: z.string().optional(),
    username: z.string().optional(),
    password: z.string().optional(),
    withDependencies: z.boolean().optional(),
  }),
  z.strictObject({ kind: z.literal('demo') }),
]);
export type ImportSourceRequest = z.infer<typeof ImportSourceRequest>;

export const StartImport = z.strictObject({ sources: z.array(ImportSourceRequest).min(1).max(50) });
export type StartImport = z.infer<typeof StartImport>;
