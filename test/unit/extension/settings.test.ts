import * as assert from 'node:assert/strict';
import { readJobSettings, type ConfigurationLike } from '../../../src/extension/settings';

type Scope = 'globalValue' | 'workspaceValue' | 'workspaceFolderValue';

/** Settings as VS Code would give them: `set` holds what settings files say, per key and scope. */
function config(set: Record<string, unknown>, scope: Scope = 'globalValue'): ConfigurationLike {
  return {
    get: <T>(key: string) => set[key] as T | undefined,
    inspect: <T>(key: string) => (key in set ? { [scope]: set[key] as T } : {}),
  };
}

function settingsOf(set: Record<string, unknown>, styles = 1) {
  const r = readJobSettings(config(set), styles, true);
  assert.equal(r.problems, undefined, `unexpected problems: ${r.problems}`);
  return r.value!;
}

function problemsOf(set: Record<string, unknown>, styles = 1): string[] {
  const r = readJobSettings(config(set), styles, true);
  assert.ok(r.problems, 'the job was allowed to start');
  return r.problems;
}

describe('settings read when a job starts', () => {
  it('without any setting, the balanced preset\'s run and a PNG beside the content', () => {
    const s = settingsOf({});
    assert.equal(s.options.preset, 'balanced');
    assert.equal(s.options.steps, 270);
    assert.equal(s.options.optimizer, 'adam');
    assert.equal(s.options.learningRateDecay, 'cosine');
    assert.deepEqual(s.output, { format: 'png', namePattern: '${name}.${style}.stylized.${ext}', folder: '' });
    assert.equal(s.weightsPath, '');
  });

  it('a preset fills in what the user did not set, and what the user set wins', () => {
    const s = settingsOf({ preset: 'tutorial', steps: 42 });
    assert.equal(s.options.steps, 42);
    assert.equal(s.options.beta2, 0.999, 'the tutorial preset\'s Adam');
    assert.equal(s.options.learningRateDecay, 'none');
  });

  it('values in the workspace folder\'s settings count as set by the user', () => {
    const r = readJobSettings(config({ preset: 'tutorial', maxSize: 96 }, 'workspaceFolderValue'), 1, true);
    assert.equal(r.value?.options.maxSize, 96);
  });

  it('a bad value is refused with its key and the allowed range', () => {
    assert.deepEqual(problemsOf({ steps: -1 }), ['neuralStyle.steps must be an integer from 1 to 100000, got -1']);
    assert.deepEqual(problemsOf({ styleWeight: 'high' }), ['neuralStyle.styleWeight must be a number from 0 to 1000000000000, got "high"']);
  });

  it('every bad value is reported at once, run options and output settings alike', () => {
    const problems = problemsOf({ optimizer: 'sgd', styleLayers: ['block9_conv1'], 'output.format': 'gif' });
    assert.equal(problems.length, 3);
    assert.match(problems[0], /^neuralStyle\.styleLayers has an unknown layer "block9_conv1"/);
    assert.match(problems[1], /^neuralStyle\.optimizer must be one of adam, lbfgs, got "sgd"/);
    assert.match(problems[2], /^neuralStyle\.output\.format must be one of png, jpeg, webp, got "gif"/);
  });

  it('refuses name patterns that name unknown values or folders', () => {
    assert.match(problemsOf({ 'output.namePattern': '${name}-${date}.png' })[0], /^neuralStyle\.output\.namePattern must use only \$\{name\}, \$\{style\} and \$\{ext\}, got "\$\{date\}"/);
    assert.match(problemsOf({ 'output.namePattern': 'out/${name}.png' })[0], /^neuralStyle\.output\.namePattern must be a file name without folders/);
  });

  it('options that do not go together are refused, naming both', () => {
    const [p] = problemsOf({ styleLayers: ['block1_conv1', 'block2_conv1'], styleLayerWeights: [1, 2, 3] });
    assert.equal(p, 'neuralStyle.styleLayerWeights has 3 entries but neuralStyle.styleLayers has 2 layers');
    assert.equal(problemsOf({ styleBlendWeights: [1, 1] }, 1)[0], 'neuralStyle.styleBlendWeights has 2 entries but 1 style image was given');
    settingsOf({ styleBlendWeights: [1, 3] }, 2);
  });

  it('in Restricted Mode, ignores the workspace\'s values of what a run costs and where it writes, and says which', () => {
    const workspace = { steps: 100000, maxSize: 8192, tileSize: 4096, 'output.folder': '/tmp/elsewhere', styleWeight: 5 };
    const untrusted = readJobSettings(config(workspace, 'workspaceValue'), 1, false);
    assert.ok(untrusted.value, `refused: ${untrusted.problems}`);
    assert.equal(untrusted.value.options.steps, 270);
    assert.equal(untrusted.value.options.maxSize, 512);
    assert.equal(untrusted.value.options.tileSize, 512);
    assert.equal(untrusted.value.output.folder, '');
    assert.equal(untrusted.value.options.styleWeight, 5, 'a weight costs nothing: the workspace\'s value holds');
    assert.deepEqual(untrusted.ignored.sort(), ['neuralStyle.maxSize', 'neuralStyle.output.folder', 'neuralStyle.steps', 'neuralStyle.tileSize']);
    const trusted = readJobSettings(config(workspace, 'workspaceValue'), 1, true);
    assert.equal(trusted.value?.options.steps, 100000);
    assert.deepEqual(trusted.ignored, []);
    const user = readJobSettings(config({ steps: 300 }), 1, false);
    assert.equal(user.value?.options.steps, 300, 'the user\'s own settings apply in Restricted Mode');
  });
});
