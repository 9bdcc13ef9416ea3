// docs/samples.md shows each sample's generated program; this keeps those blocks equal to the golden
// files (UPDATE_GOLDEN=1 rewrites them along with the golden files).
import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { loadFlow } from '../../compiler/flow';
import { compileToCgpl } from '../../compiler/generate';
import { SAMPLES, flowPath, goldenPath, updating, type SampleName } from './golden';

const DOC = 'docs/samples.md';

/** The fenced block right after `<!-- golden: path -->`: where its text starts and ends. */
function block(doc: string, name: SampleName): { start: number; end: number } | null {
  const marker = `<!-- golden: ${goldenPath(name)} -->\n\`\`\`cgpl\n`;
  const at = doc.indexOf(marker);
  if (at < 0) return null;
  const start = at + marker.length;
  const end = doc.indexOf('```', start);
  return end < 0 ? null : { start, end };
}

describe(DOC, () => {
  it.each(SAMPLES)('shows the %s golden program verbatim', async (name) => {
    let doc = await readFile(DOC, 'utf8');
    const where = block(doc, name);
    expect(where, `${DOC} has no block after <!-- golden: ${goldenPath(name)} -->`).not.toBeNull();
    if (updating) {
      const text = compileToCgpl(loadFlow(await readFile(flowPath(name), 'utf8'), flowPath(name)).flow!).text;
      doc = doc.slice(0, where!.start) + text + doc.slice(where!.end);
      await writeFile(DOC, doc, 'utf8');
    }
    const shown = doc.slice(where!.start, where!.end);
    const golden = await readFile(goldenPath(name), 'utf8');
    if (shown !== golden)
      expect.fail(
        `${DOC}: the ${name} block is not ${goldenPath(name)}; run UPDATE_GOLDEN=1 npx vitest run test/samples`,
      );
  });

  it('names the commands it tells the reader to run', async () => {
    const doc = await readFile(DOC, 'utf8');
    for (const command of ['validate', 'compile', 'simulate', 'test', 'export', 'parse']) {
      expect(doc).toMatch(new RegExp(`npx ivr-studio ${command} `));
    }
  });
});
