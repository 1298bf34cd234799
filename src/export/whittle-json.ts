/**
 * whittle: the policy IR itself (profiles/*.whittle.json), schema-versioned. Everything in the
 * policy is expressed; whittle run and whittle export read it back.
 */
import type { Exporter } from './types.js';

export const whittleExporter: Exporter = {
  format: 'whittle',
  description: "whittle's own policy (the IR): for whittle run, and to export to other formats later",
  defaultName: (ctx) => `${ctx.name}.whittle.json`,
  render(p) {
    return {
      artifacts: [{ suffix: null, content: JSON.stringify(p, null, 2) + '\n', description: 'use with whittle run --profile, or whittle export' }],
      unexpressed: [],
    };
  },
};
