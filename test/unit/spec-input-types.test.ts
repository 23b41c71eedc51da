import { App } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { ObservabilityStack } from '../../constructs/stack.js';
import { defineStack } from '../../model/define.js';
import { SpecError } from '../../model/errors.js';

// Each `@ts-expect-error` below is checked by `tsc -p tsconfig.test.json` (npm test runs it before vitest): when the
// typed input stops refusing the value, the directive is unused and tsc fails with TS2578. The run-time halves
// show the same input is refused with the path-named error when types are bypassed.
const problems = (define: () => unknown) => {
  try {
    define();
  } catch (error) {
    if (error instanceof SpecError) return error.problems;
    throw error;
  }
  throw new Error('expected a SpecError');
};

describe('the typed spec input', () => {
  it('refuses a misspelled environment at compile time, and at run time with the path', () => {
    // @ts-expect-error 'stagin' is not an environment
    expect(problems(() => defineStack({ environment: 'stagin' }))).toEqual(['environment: expected one of local, dev, staging, prod, got "stagin"']);
  });

  it('refuses an unknown component and a wrong shape at compile time', () => {
    // @ts-expect-error no component is called lokii
    expect(problems(() => defineStack({ components: { lokii: {} } }))[0]).toMatch(/^components\.lokii: unknown key/);
    // @ts-expect-error replicas is a number
    expect(problems(() => defineStack({ components: { umami: { replicas: '2' } } }))[0]).toMatch(/^components\.umami\.replicas: /);
    // @ts-expect-error the construct's spec is typed too
    expect(() => new ObservabilityStack(new App(), 'stack', { spec: { retention: { logs: 7 } } })).toThrow(/retention\.logs: expected a duration/);
  });

  it('leaves fields with a default optional: an SLO without a window gets 30d', () => {
    const spec = defineStack({ slos: [{ name: 'api', service: 'api', objective: 99.9, sli: { kind: 'availability' } }] });
    expect(spec.slos[0]!.window).toBe('30d');
  });

  it('lets the construct take a partial spec and resolves it like defineStack', () => {
    const stack = new ObservabilityStack(new App(), 'stack', { spec: { environment: 'prod', components: { umami: { enabled: false } } } });
    expect(stack.spec).toEqual(defineStack({ environment: 'prod', components: { umami: { enabled: false } } }));
  });
});
