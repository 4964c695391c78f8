/**
 * vega-lite spec → SVG string, headless: vega's 'none' renderer and its built-in text metrics
 * (no canvas, no browser), so the output depends only on the spec and is byte-identical on re-runs.
 * vega and vega-lite are imported on the first chart: loading them takes about half a second,
 * which every bench and report process would otherwise pay, charts or not.
 */
import type { TopLevelSpec } from 'vega-lite';
import { ChartRenderError } from './errors.js';

export async function renderSvg(spec: Record<string, unknown>, name: string): Promise<string> {
  try {
    const [{ parse, View }, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
    const vega = compile(spec as unknown as TopLevelSpec).spec;
    const view = new View(parse(vega), { renderer: 'none' });
    const svg = await view.toSVG();
    view.finalize();
    return svg.endsWith('\n') ? svg : `${svg}\n`;
  } catch (error) {
    throw new ChartRenderError(`chart ${name}: ${(error as Error).message}`, { cause: error });
  }
}
