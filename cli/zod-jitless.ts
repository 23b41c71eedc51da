import { z } from 'zod';

// A command parses one spec. zod compiles a fast path for each object schema (code it generates with `new Function`)
// that costs more to build than it saves on one parse: about 17 ms against 4 ms for a cold parse here. zod reads the
// setting when a schema is built, so this module comes first among cli/program.ts's imports, before the spec's
// schemas (model/spec.ts); the setting is process-wide, so the library never sets it.
z.config({ jitless: true });
