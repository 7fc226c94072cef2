/** The parameter sweeps (`cellforge sweep`), newest first: each with its pipeline, start, runs and the range of its first metric, linked to its page. */
import type { RunInfo } from "../../tracking/store.ts";
import { SWEEP_TAG } from "../../workers/sweep-plan.ts";
import { formatNumber, formatTime } from "../format.ts";
import { html, type Html } from "../html.ts";
import { UI_BASE } from "../layout.ts";

/** One sweep as the list shows it. */
export interface SweepSummary {
  id: string;
  pipeline: string;
  started: number;
  runs: number;
  finished: number;
  /** The metric the sweep page ranks by first, with its lowest and highest value over the sweep's runs. */
  metric?: { name: string; lowest: number; highest: number };
}

/** Groups runs by their sweep tag, newest sweep first; runs of no sweep are left out. */
export function summariseSweeps(runs: readonly RunInfo[]): SweepSummary[] {
  const bySweep = new Map<string, RunInfo[]>();
  for (const run of runs) {
    const id = run.tags[SWEEP_TAG];
    if (id !== undefined) bySweep.set(id, [...(bySweep.get(id) ?? []), run]);
  }
  return [...bySweep]
    .map(([id, members]) => {
      // The same first metric the sweep page picks: names without a dot (no epoch histories), sorted.
      const name = [...new Set(members.flatMap((r) => Object.keys(r.metrics)))]
        .filter((m) => !m.includes("."))
        .sort()[0];
      const values =
        name === undefined ? [] : members.flatMap((r) => (r.metrics[name] === undefined ? [] : [r.metrics[name]]));
      return {
        id,
        pipeline: members[0]!.pipeline,
        started: Math.min(...members.map((r) => r.startTime)),
        runs: members.length,
        finished: members.filter((r) => r.status === "FINISHED").length,
        ...(name === undefined || values.length === 0
          ? {}
          : { metric: { name, lowest: Math.min(...values), highest: Math.max(...values) } }),
      };
    })
    .sort((a, b) => b.started - a.started);
}

/** The sweeps table. */
export function sweepsPage(sweeps: readonly SweepSummary[]): Html {
  if (sweeps.length === 0)
    return html`<h1>Sweeps</h1>
      <p class="muted">No sweep yet: <code>cellforge sweep train --grid learningRate=0.001,0.003</code> runs one.</p>`;
  const link = (s: SweepSummary, order: "min" | "max", value: number): Html =>
    html`<a href="${UI_BASE}/sweeps/${encodeURIComponent(s.id)}?metric=${encodeURIComponent(s.metric!.name)}&amp;order=${order}">${formatNumber(value)}</a>`;
  const rows = sweeps.map(
    (s) => html`<tr>
      <td><a class="sweep-link" href="${UI_BASE}/sweeps/${encodeURIComponent(s.id)}">${s.id}</a></td>
      <td>${s.pipeline}</td>
      <td>${formatTime(s.started)}</td>
      <td class="num">${String(s.runs)}${s.finished === s.runs ? "" : ` (${s.finished} finished)`}</td>
      <td>${s.metric?.name ?? "—"}</td>
      <td class="num">${s.metric === undefined ? "—" : link(s, "min", s.metric.lowest)}</td>
      <td class="num">${s.metric === undefined ? "—" : link(s, "max", s.metric.highest)}</td>
    </tr>`,
  );
  return html`<h1>Sweeps</h1>
    <p class="muted">Each sweep's best run is its lowest or highest value of the metric, whichever is better for it: follow either to the sweep ranked that way.</p>
    <table class="runs">
      <thead>
        <tr><th scope="col">sweep</th><th scope="col">pipeline</th><th scope="col">started</th><th scope="col" class="num">runs</th><th scope="col">metric</th><th scope="col" class="num">lowest</th><th scope="col" class="num">highest</th></tr>
      </thead>
      <tbody>${rows}</tbody>
    </table>`;
}
