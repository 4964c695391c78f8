/**
 * The four live charts (vega-lite through vega-embed, loaded as browser globals by index.html):
 * requests/s and accept-queue depth per socket, CPU and memory per watcher. Each chart keeps its
 * own points for the last few minutes and hands vega the whole window on every update: at one
 * point per second and a handful of series that is a few hundred rows, cheaper than bookkeeping.
 */
/* global vega, vegaEmbed */

export const WINDOW_MS = 5 * 60 * 1000;

const CHARTS = [
  { id: 'rps', y: 'requests/s' },
  // Whole connections: no 0.2 ticks.
  { id: 'queue', y: 'connections', yAxis: { format: 'd', tickMinStep: 1 } },
  { id: 'cpu', y: '% of one core' },
  { id: 'rss', y: 'MB' },
];

/** One snapshot → the points it adds to each chart: `{t, s: series, v: value}`. */
export function pointsOf(snapshot) {
  const t = snapshot.time;
  return {
    rps: snapshot.sockets.map((s) => ({ t, s: s.name, v: s.requestsPerSecond })),
    // null: the queue could not be read (no `ss`); a gap, not a zero.
    queue: snapshot.sockets
      .filter((s) => s.acceptQueue !== null)
      .map((s) => ({ t, s: s.name, v: s.acceptQueue })),
    cpu: snapshot.watchers.map((w) => ({ t, s: w.name, v: w.totals.cpu })),
    rss: snapshot.watchers.map((w) => ({
      t,
      s: w.name,
      v: Math.round((w.totals.rssBytes / 1024 / 1024) * 10) / 10,
    })),
  };
}

function spec({ y, yAxis = {} }) {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 'container',
    height: 150,
    // resize: recompute the layout on every update, or axis labels that grow get clipped.
    autosize: { type: 'fit-x', contains: 'padding', resize: true },
    data: { name: 'points' },
    mark: { type: 'line', strokeWidth: 2 },
    encoding: {
      x: {
        field: 't',
        type: 'temporal',
        title: null,
        axis: { format: '%H:%M:%S', labelOverlap: true, tickCount: 6 },
      },
      y: {
        field: 'v',
        type: 'quantitative',
        title: y,
        scale: { zero: true, nice: true },
        axis: yAxis,
      },
      color: { field: 's', type: 'nominal', title: null, legend: { orient: 'top' } },
    },
  };
}

export class Charts {
  constructor(prefix = 'chart-') {
    this.prefix = prefix;
    this.points = Object.fromEntries(CHARTS.map((c) => [c.id, []]));
    this.views = {};
    this.ready = Promise.all(
      CHARTS.map(async (chart) => {
        const element = document.getElementById(`${prefix}${chart.id}`);
        const result = await vegaEmbed(element, spec(chart), {
          renderer: 'svg',
          actions: false,
          tooltip: false,
          defaultStyle: false,
          // An empty chart (no data yet) is not worth a console warning.
          logLevel: vega.Error,
          // The CSP forbids eval: interpret vega expressions instead of compiling them.
          ast: true,
          expr: vega.expressionInterpreter,
        });
        this.views[chart.id] = result.view;
      }),
    ).then(() => this.redraw());
  }

  /** Replaces everything (a new `init` after a reconnect). */
  reset(snapshots) {
    for (const chart of CHARTS) this.points[chart.id] = [];
    for (const snapshot of snapshots) this.append(snapshot);
    return this.redraw();
  }

  push(snapshot) {
    this.append(snapshot);
    return this.redraw();
  }

  append(snapshot) {
    const added = pointsOf(snapshot);
    const oldest = snapshot.time - WINDOW_MS;
    for (const chart of CHARTS) {
      const list = this.points[chart.id];
      list.push(...added[chart.id]);
      while (list.length && list[0].t < oldest) list.shift();
    }
  }

  async redraw() {
    for (const [id, view] of Object.entries(this.views)) {
      view.change(
        'points',
        vega
          .changeset()
          .remove(() => true)
          .insert(this.points[id].map((p) => ({ ...p }))),
      );
      await view.runAsync();
    }
  }

  /** What a chart currently draws (the tests read it). */
  data(id) {
    return this.views[id] ? this.views[id].data('points') : [];
  }
}
