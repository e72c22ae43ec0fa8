import { z } from 'zod';

// zod 4 compiles fast object parsers with `new Function` when it may; the renderer's CSP has
// no 'unsafe-eval', and even the probe for it would log a CSP violation. Imported first.
z.config({ jitless: true });
