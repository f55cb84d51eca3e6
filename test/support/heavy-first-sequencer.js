/**
 * Jest runs the longest suites first when its cache knows their durations; on a clean checkout
 * (CI) it knows none and orders by file size, so the short files that synthesize and render
 * whole platforms start last and one core idles at the end. These estimates (seconds, measured
 * on 2 cores) stand in until the cache has real durations; every other suite counts as 1 s.
 */
const Sequencer = require('@jest/test-sequencer').default;
const path = require('path');

const ESTIMATED_SECONDS = {
  'render/render.test.ts': 16,
  'cli/synth-cli.test.ts': 6,
  'policy/kong-env-differential.test.ts': 6,
  'policy/props-rules.test.ts': 3,
  'aws/terraform-validate.test.ts': 8,
  'render/harness.test.ts': 5,
  'delivery/deliver.test.ts': 4,
  'consumer/consumer.test.ts': 4,
  'policy/bypass-corpus.test.ts': 4,
  'mesh/platform-integration.test.ts': 3,
  'apis/api-add-on.test.ts': 2.5,
  'policy/enforcement.test.ts': 2.2,
  'azure/outputs-state-policy.test.ts': 2.2,
  'policy/synth-cli.test.ts': 2,
};

class HeavyFirstSequencer extends Sequencer {
  time(test) {
    const cached = super.time(test);
    if (cached != null) return cached;
    const suite = path.relative(path.join(__dirname, '..'), test.path).split(path.sep).join('/');
    return (ESTIMATED_SECONDS[suite] ?? 1) * 1000;
  }
}

module.exports = HeavyFirstSequencer;
